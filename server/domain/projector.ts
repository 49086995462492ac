/**
 * What the wall shows, as settings that change with the facilitator's commands and with the
 * session: pure functions, so the rules (a spotlight gives way to a new step unless pinned, a
 * new stage starts on its first page) are in one place and tested without a server.
 */
import { ProjectorSettings, type ProjectorSetPayload } from '../../shared/protocol.js';

/** Settings as stored; rows written before a field existed get its default. */
export function readProjector(stored: unknown): ProjectorSettings {
  return ProjectorSettings.parse(stored);
}

/** A new stage starts on its first page, with the page timer running from now. */
function firstPage(p: ProjectorSettings, now: number): ProjectorSettings {
  return { ...p, paging: { ...p.paging, turn: 0, since: now } };
}

/** The facilitator's command. Stage changes (spotlight, reveal) restart paging. */
export function applyCommand(current: ProjectorSettings, change: ProjectorSetPayload, now: number): ProjectorSettings {
  let next: ProjectorSettings = {
    ...current,
    theme: change.theme ?? current.theme,
    join: change.join ?? current.join,
    pinned: change.pinned ?? current.pinned,
  };
  if (change.spotlight !== undefined) {
    // A spotlight put on or taken off is pinned only when asked for with it.
    next = firstPage({ ...next, spotlight: change.spotlight, pinned: change.spotlight === null ? false : (change.pinned ?? false) }, now);
  }
  if (change.reveal !== undefined) {
    const reveal = change.reveal === 'all' ? null : change.reveal === 'stepwise' ? 0 : (current.reveal ?? 0) + 1;
    next = firstPage({ ...next, reveal }, now);
  }
  if (change.autoPage !== undefined) next = { ...next, paging: { ...next.paging, auto: change.autoPage, since: now } };
  if (change.page !== undefined) {
    next = { ...next, paging: { ...next.paging, turn: next.paging.turn + (change.page === 'next' ? 1 : -1), since: now } };
  }
  return next;
}

/**
 * The session entered another step: an unpinned spotlight belongs to the step it was put on in
 * (a plenary list left on would otherwise hide the vote that opens next). A result being
 * revealed item by item stays where it is, so it can be revealed in the step after the vote.
 */
export function onStepEntered(current: ProjectorSettings, now: number): ProjectorSettings {
  const spotlight = current.pinned ? current.spotlight : null;
  return firstPage({ ...current, spotlight, pinned: spotlight !== null }, now);
}

/** A vote opened: it comes to the wall unless something else is pinned, and its result is unrevealed news. */
export function onVoteOpened(current: ProjectorSettings, now: number): ProjectorSettings {
  return { ...onStepEntered(current, now), reveal: null };
}

/** True when the change is worth storing and telling the screens. */
export function projectorChanged(a: ProjectorSettings, b: ProjectorSettings): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
