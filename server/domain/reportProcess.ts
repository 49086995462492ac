/**
 * The process appendix: what the facilitator did and when, from the event log. Only what a
 * reader needs to follow the evening is kept (no projector or signal changes), and nothing
 * names a device.
 */
import { findStep, type Agenda } from '../../shared/agenda.js';
import type { ReportTimelineEntry } from '../../shared/report.js';
import type { LogEntry } from '../eventLog.js';

export type { LogEntry };

export function clockTime(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

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
  const stepOf = (stepId: string | null | undefined) => {
    const at = findStep(agenda, stepId ?? null);
    return at ? { round: at.roundIndex + 1, stepType: at.step.type, stepTitle: at.step.title ?? null } : { round: null, stepType: null, stepTitle: null };
  };

  // Fields may be missing from rows of older versions (see server/eventLog.ts): what is there is shown.
  for (const e of events) {
    switch (e.type) {
      case 'session.created':
        out.push({ ...base(e), event: 'created' });
        break;
      case 'step.entered': {
        const d = e.data;
        if (d.status === 'ended') {
          out.push({ ...base(e), event: 'ended' });
          break;
        }
        // The log keeps the step's type and round as they were, even if the step was edited later.
        const step = stepOf(d.stepId);
        out.push({ ...base(e), event: 'step', round: d.round ?? step.round, stepType: d.stepType ?? step.stepType, stepTitle: step.stepTitle });
        break;
      }
      case 'vote.opened': {
        const { method, stepId } = e.data;
        out.push({ ...base(e), event: 'voteOpened', round: stepOf(stepId).round, ...(method !== undefined && { method }) });
        break;
      }
      case 'vote.closed': {
        const { ballots } = e.data;
        out.push({ ...base(e), event: 'voteClosed', ...(ballots !== undefined && { ballots }) });
        break;
      }
      case 'timer.extend': {
        const { seconds } = e.data;
        out.push({ ...base(e), event: 'timerExtended', ...(seconds !== undefined && { seconds }) });
        break;
      }
      case 'agenda.edited':
        out.push({ ...base(e), event: 'agendaEdited' });
        break;
      case 'device.moved': {
        const { from, to } = e.data;
        out.push({ ...base(e), event: 'deviceMoved', fromTable: from ?? null, ...(to !== undefined && { toTable: to }) });
        break;
      }
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
