/**
 * The server's clock, as seen from this screen. Timers are sent in server time; every screen
 * estimates how far the server's clock is from its own (round trips over socket.io, the
 * fastest one wins) so that all tablets and the projector show the same time left.
 */
import { useEffect, useState } from 'react';
import { clockOffset, timeLeft, type Timer } from '../../shared/clock';
import { Events } from '../../shared/protocol';
import type { SessionConnection } from './useSessionSocket';

const SAMPLES = 5;
const RESYNC_MS = 60_000;

let offsetMs = 0;
export const serverNow = (): number => Date.now() + offsetMs;

/** Measures the clock offset when connected, and again every minute. */
export function useClockSync(conn: Pick<SessionConnection, 'status' | 'emit'>): void {
  const { status, emit } = conn;
  useEffect(() => {
    if (status !== 'online') return;
    let live = true;
    const measure = async () => {
      const samples = [];
      for (let i = 0; i < SAMPLES && live; i++) {
        const sentAt = Date.now();
        const res = await emit(Events.clockSync, {});
        const receivedAt = Date.now();
        if (res.ok) samples.push({ sentAt, receivedAt, serverNow: res.data.serverNow });
      }
      if (live && samples.length > 0) offsetMs = clockOffset(samples);
    };
    void measure();
    const timer = setInterval(() => void measure(), RESYNC_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [status, emit]);
}

/** Time left on a timer, re-rendered a few times a second while it runs. */
export function useTimeLeft(timer: Timer | null | undefined): number | null {
  const [, tick] = useState(0);
  const running = Boolean(timer?.running);
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(id);
  }, [running]);
  return timer ? timeLeft(timer, serverNow()) : null;
}
