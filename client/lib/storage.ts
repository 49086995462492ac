/**
 * What a device remembers between visits: its device token per session (so a reload or a
 * sleeping tablet rejoins without being counted twice), the facilitator key, and its own
 * ballots. Nothing here ever leaves the device except the token, which only the server checks.
 */
import { DeviceState, SessionView } from '../../shared/protocol';
import type { BallotChoices } from '../../shared/tally';

export type { BallotChoices };

const get = (key: string): string | null => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
};
const set = (key: string, value: string | null) => {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage full or blocked: the page still works until it is reloaded.
  }
};

export const deviceToken = {
  get: (sessionId: string) => get(`tafelronde:device:${sessionId}`),
  set: (sessionId: string, token: string) => set(`tafelronde:device:${sessionId}`, token),
  clear: (sessionId: string) => set(`tafelronde:device:${sessionId}`, null),
};

/** The key arrives in the link's #fragment (never sent to the server) and is kept for reloads. */
export function facilitatorKey(sessionId: string): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('key');
  if (fromHash) {
    set(`tafelronde:facilitator:${sessionId}`, fromHash);
    return fromHash;
  }
  return get(`tafelronde:facilitator:${sessionId}`);
}

/** A table host's key arrives the same way, in the fragment of the link the organiser handed out. */
export function hostKey(sessionId: string, table: number): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('key');
  const storageKey = `tafelronde:host:${sessionId}:${table}`;
  if (fromHash) {
    set(storageKey, fromHash);
    return fromHash;
  }
  return get(storageKey);
}

export function rememberFacilitatorKey(sessionId: string, key: string): void {
  set(`tafelronde:facilitator:${sessionId}`, key);
}

/** A ballot on a tablet that is one voter's own. */
export interface StoredBallot {
  ballotId: string;
  /** Kept so the voter sees and can change their ballot until the vote closes. */
  choices: BallotChoices | null;
  /** Whether the server acknowledged exactly these choices. */
  received: boolean;
  /** Whether the server ever acknowledged this ballot (so a new send is a change). */
  sent?: boolean;
}

/**
 * A ballot on a shared tablet (doorgeefstand). Never the choices: the next person at the table
 * must not find them. The id stays so a ballot whose acknowledgement got lost can be resent
 * and replaces itself instead of taking a second seat.
 */
export interface StoredSeatBallot {
  ballotId: string;
  seat: number;
  received: boolean;
}

/** JSON records kept per id under a prefix (a ballot per vote, an evaluation per step). */
function jsonStore<T>(prefix: string) {
  return {
    get(id: string): T | null {
      const raw = get(`${prefix}${id}`);
      if (!raw) return null;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return null;
      }
    },
    set(id: string, value: T): void {
      set(`${prefix}${id}`, JSON.stringify(value));
    },
  };
}

const ownBallots = jsonStore<StoredBallot & { dots?: Record<string, number> }>('tafelronde:ballot:');

export const ballots = {
  get(voteId: string): StoredBallot | null {
    const stored = ownBallots.get(voteId);
    if (!stored) return null;
    // Ballots kept before votes had methods hold their dots directly.
    if (stored.choices === undefined) {
      return { ballotId: stored.ballotId, choices: stored.dots ? { method: 'dots', dots: stored.dots } : null, received: stored.received, sent: stored.sent };
    }
    return stored;
  },
  set(voteId: string, ballot: StoredBallot): void {
    ownBallots.set(voteId, ballot);
  },
};

export const seatBallots = jsonStore<StoredSeatBallot>('tafelronde:seat-ballot:');

export interface StoredEvaluation {
  responseId: string;
  scores: Record<string, number>;
  remark: string;
  received: boolean;
}

export const evaluations = jsonStore<StoredEvaluation>('tafelronde:evaluation:');

/** A random id for a ballot or an evaluation response, made on the device. */
export function newBallotId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * What a tablet last heard from the server about its session and itself (which step, which
 * table, its label), so that a reload while the laptop is out of reach still shows the table's
 * board. Kept with the protocol version it came in, and checked against the schemas on the way
 * out: a newer app does not take an older shape for its own.
 */
export interface LastKnownTablet {
  protocol: number;
  session: SessionView;
  device: DeviceState;
}

const lastKnownTablets = jsonStore<LastKnownTablet>('tafelronde:tablet-state:');

export const lastKnownTablet = {
  get(sessionId: string, protocol: number): LastKnownTablet | null {
    const stored = lastKnownTablets.get(sessionId);
    if (!stored || stored.protocol !== protocol) return null;
    const session = SessionView.safeParse(stored.session);
    const device = DeviceState.safeParse(stored.device);
    return session.success && device.success && session.data.id === sessionId ? { protocol, session: session.data, device: device.data } : null;
  },
  set: (sessionId: string, value: LastKnownTablet) => lastKnownTablets.set(sessionId, value),
  clear: (sessionId: string) => set(`tafelronde:tablet-state:${sessionId}`, null),
};
