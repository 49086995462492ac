/**
 * The process appendix: what the facilitator did and when, from the event log. Only what a
 * reader needs to follow the evening is kept (no projector or signal changes), and nothing
 * names a device.
 */
import { findStep, STEP_TYPES, type Agenda, type StepType } from '../../shared/agenda.js';
import { VoteMethod, type ReportTimelineEntry } from '../../shared/report.js';

export interface LogEntry {
  at: number;
  type: string;
  data: Record<string, unknown>;
}

export function clockTime(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function timeline(events: readonly LogEntry[], agenda: Agenda, timeZone?: string): ReportTimelineEntry[] {
  const out: (ReportTimelineEntry & { ms: number })[] = [];
  const base = (e: LogEntry) => ({
    ms: e.at,
    at: new Date(e.at).toISOString(),
    time: clockTime(e.at, timeZone),
    round: null,
    stepType: null,
    stepTitle: null,
    minutes: null,
  });
  const stepOf = (stepId: unknown) => {
    const at = findStep(agenda, str(stepId));
    return at
      ? { round: at.roundIndex + 1, stepType: at.step.type, stepTitle: at.step.title ?? null }
      : { round: null, stepType: null, stepTitle: null };
  };

  for (const e of events) {
    const d = e.data;
    switch (e.type) {
      case 'session.created':
        out.push({ ...base(e), event: 'created' });
        break;
      case 'step.entered': {
        if (d.status === 'ended') {
          out.push({ ...base(e), event: 'ended' });
          break;
        }
        // The log keeps the step's type and round as they were, even if the step was edited later.
        const step = stepOf(d.stepId);
        const loggedType = str(d.stepType);
        const stepType = (STEP_TYPES as readonly string[]).includes(loggedType ?? '') ? (loggedType as StepType) : step.stepType;
        out.push({ ...base(e), event: 'step', round: num(d.round) ?? step.round, stepType, stepTitle: step.stepTitle });
        break;
      }
      case 'vote.opened': {
        const method = VoteMethod.safeParse(d.method);
        out.push({ ...base(e), event: 'voteOpened', round: stepOf(d.stepId).round, ...(method.success && { method: method.data }) });
        break;
      }
      case 'vote.closed':
        out.push({ ...base(e), event: 'voteClosed', ...(num(d.ballots) !== null && { ballots: num(d.ballots)! }) });
        break;
      case 'timer.extend':
        out.push({ ...base(e), event: 'timerExtended', ...(num(d.seconds) !== null && { seconds: num(d.seconds)! }) });
        break;
      case 'agenda.edited':
        out.push({ ...base(e), event: 'agendaEdited' });
        break;
      case 'device.moved':
        out.push({ ...base(e), event: 'deviceMoved', fromTable: num(d.from), ...(num(d.to) !== null && { toTable: num(d.to)! }) });
        break;
    }
  }

  // A step lasted until the next step began or the session ended.
  const changes = out.filter((e) => e.event === 'step' || e.event === 'ended');
  changes.forEach((e, i) => {
    const next = changes[i + 1];
    if (e.event === 'step' && next) e.minutes = Math.round((next.ms - e.ms) / 60_000);
  });
  return out.map(({ ms: _ms, ...entry }) => entry);
}
