/**
 * The step timer. The server owns it and sends it as data; every screen computes the time
 * left from it with its own estimate of the server's clock, so all screens agree.
 *
 * A running timer is stored by when it ends (server time); a paused one by what was left.
 * Time left may go below zero: the timer does not stop the work, the facilitator does.
 */
export interface Timer {
  /** The step's duration including extensions, for a progress bar. */
  durationMs: number;
  running: boolean;
  /** Server time at which the time is up; set while running. */
  endsAt: number | null;
  /** Time left when paused; while running, what was left at the last start or resume. */
  remainingMs: number;
}

export function startTimer(durationMs: number, now: number): Timer {
  return { durationMs, running: durationMs > 0, endsAt: durationMs > 0 ? now + durationMs : null, remainingMs: durationMs };
}

export function timeLeft(timer: Timer, now: number): number {
  return timer.running && timer.endsAt !== null ? timer.endsAt - now : timer.remainingMs;
}

export function pauseTimer(timer: Timer, now: number): Timer {
  if (!timer.running) return timer;
  return { ...timer, running: false, endsAt: null, remainingMs: timeLeft(timer, now) };
}

export function resumeTimer(timer: Timer, now: number): Timer {
  if (timer.running || timer.durationMs === 0) return timer;
  return { ...timer, running: true, endsAt: now + timer.remainingMs };
}

/** Adds time. When the time was already up, the extra time counts from now. */
export function extendTimer(timer: Timer, ms: number, now: number): Timer {
  const left = Math.max(0, timeLeft(timer, now)) + ms;
  const durationMs = timer.durationMs + ms;
  return timer.running ? { ...timer, durationMs, endsAt: now + left, remainingMs: left } : { ...timer, durationMs, remainingMs: left };
}

/** "12:05", or "-0:42" when the time is up; whole seconds, rounded towards the end. */
export function formatTimeLeft(ms: number): string {
  const negative = ms < 0;
  const total = negative ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  if (total === 0) return '0:00';
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${negative ? '-' : ''}${minutes}:${String(seconds).padStart(2, '0')}`;
}

/**
 * Estimates how far the server's clock is ahead of ours from round trips
 * (`sentAt` and `receivedAt` local, `serverNow` remote). The sample with the shortest round
 * trip wins, since its midpoint is the least uncertain.
 */
export function clockOffset(samples: { sentAt: number; receivedAt: number; serverNow: number }[]): number {
  let best: { rtt: number; offset: number } | null = null;
  for (const s of samples) {
    const rtt = s.receivedAt - s.sentAt;
    const offset = s.serverNow - (s.sentAt + s.receivedAt) / 2;
    if (!best || rtt < best.rtt) best = { rtt, offset };
  }
  return best?.offset ?? 0;
}
