/**
 * What the orchestrator (bench/run.ts) and the load-generator processes say to each other over
 * the `child_process.fork` IPC channel. Every command carries an id and is answered once, with
 * the same id, so the orchestrator can await it like a function call.
 */
import type { LoopDelay } from './loopDelay.js';

/** Sets up the tablets of some tables: each joins, picks its table and opens the table document. */
export interface RoomSetup {
  url: string;
  joinCode: string;
  sessionId: string;
  tables: number[];
  tabletsPerTable: number;
  themes: string[];
  roundId: string;
  stepId: string;
}

/** Every tablet types from `startAt` for `durationMs`, at about `editsPerSecond`. */
export interface RoomTyping {
  startAt: number;
  durationMs: number;
  editsPerSecond: number;
}

/** Sets up phones that join with the code and pick a table (app), or plain sockets (bare server). */
export interface VotersSetup {
  url: string;
  mode: 'app' | 'bare';
  joinCode: string;
  /** How many voters this process runs, and the global index of its first (spreads tables and send times). */
  voters: number;
  firstIndex: number;
  tables: number;
  /** Joins in flight at once in this process; keeps the join phase at a pace a room would see. */
  joinConcurrency: number;
}

export interface VoteItemRef {
  id: string;
  table: number;
}

/**
 * Every voter of the process sends one ballot. Voter `firstIndex + i` of `total` sends at
 * `startAt + (index + jitter) * windowMs / total`, so ballots arrive at an even rate over the window.
 */
export interface VoteStart {
  voteId: string;
  items: VoteItemRef[];
  budget: number;
  maxPerItem: number;
  startAt: number;
  windowMs: number;
  total: number;
  /** Global index of this process's first voter. */
  firstIndex: number;
}

export interface Ready {
  clients: number;
  failed: number;
  errors: string[];
  ms: number;
}

export interface EditResult {
  /** Milliseconds from an edit on one tablet until another tablet at that table applied it, one per (edit, receiver). */
  samples: number[];
  edits: number;
  /** (edit, receiver) pairs that should have arrived, and those that did. */
  expected: number;
  received: number;
  /** Connections the server dropped while the tablets typed (Yjs ones reconnect, socket.io ones do not). */
  socketDrops: number;
  yjsDrops: number;
}

export interface BallotSample {
  sentAt: number;
  ackAt: number | null;
  error: string | null;
}

export interface VoteResult {
  samples: BallotSample[];
}

/** Waits until every voter's screen shows the open vote, so ballots do not queue behind that broadcast. */
export interface AwaitVote {
  openSentAt: number;
  timeoutMs: number;
}

/** Waits until every voter's screen shows the step the facilitator moved to. */
export interface AwaitStep {
  stepId: string;
  sentAt: number;
  timeoutMs: number;
}

export interface VoteSeen {
  /** Per voter, ms from `vote:open` until its screen had the open vote (null: not within the timeout). */
  seen: (number | null)[];
}

/**
 * The soak's tablets of some tables. The evening's pace comes as rates and ranges in real
 * milliseconds; the orchestrator has already compressed the evening into the run's length.
 */
export interface SoakSetup extends Omit<RoomSetup, 'roundId' | 'stepId'> {
  /** While its table is active, a tablet types about this often (random gaps of 0.5 to 1.5 times the mean)... */
  editsPerSecond: number;
  /** ...at each of its chances with this probability: not everyone at a table writes at once. */
  typingShare: number;
  /** A table is active (someone writes) for a while, then quiet for a while; each drawn evenly from these ranges. */
  activeMs: [number, number];
  quietMs: [number, number];
  /** Mean time between a connected tablet's sleeps, reloads and leaves (each a Poisson process). */
  sleepEveryMs: number;
  reloadEveryMs: number;
  leaveEveryMs: number;
  /** How long a sleeping tablet stays away, and how long until a tablet that left is replaced by a new one. */
  sleepForMs: [number, number];
  replaceAfterMs: [number, number];
  /** A tablet whose screen shows an open vote casts its ballot this long after, drawn evenly. */
  ballotAfterMs: [number, number];
}

/** The evening runs until `endAt`; then every tablet closes its connections. */
export interface SoakRun {
  endAt: number;
}

export interface SoakBallot {
  voteId: string;
  sentAt: number;
  /** ms from the emit to the ack, null without one. */
  ackMs: number | null;
}

export interface SoakCounts {
  /** Tablets connected when the evening ended. */
  connectedAtEnd: number;
  sleeps: number;
  wakes: number;
  reloads: number;
  leaves: number;
  /** New tablets that joined with the code to take the place of one that left. */
  newJoins: number;
  /** Distinct devices over the evening (the first tablets and the new ones). */
  devices: number;
  edits: number;
  /** Board changes the server refused (a change in flight as the step moved on), by reason. */
  refusedWrites: Record<string, number>;
  ballots: SoakBallot[];
  /** Connections the server dropped (not the tablets' own closes). */
  socketDrops: number;
  yjsDrops: number;
  /** Failures (connects, joins, ballots refused), by message. */
  errors: Record<string, number>;
}

export type Command =
  | { cmd: 'setupRoom'; args: RoomSetup }
  | { cmd: 'type'; args: RoomTyping }
  | { cmd: 'setupVoters'; args: VotersSetup }
  | { cmd: 'awaitVote'; args: AwaitVote }
  | { cmd: 'awaitStep'; args: AwaitStep }
  | { cmd: 'vote'; args: VoteStart }
  | { cmd: 'soakSetup'; args: SoakSetup }
  | { cmd: 'soakRun'; args: SoakRun };

export type Request = Command & { id: number };

/** Every answer carries the generator's event-loop delay while it worked on the command. */
export type Reply = { id: number; ok: true; data: unknown; loop: LoopDelay } | { id: number; ok: false; error: string };

/** What each command answers with. */
export interface Results {
  setupRoom: Ready;
  type: EditResult;
  setupVoters: Ready;
  awaitVote: VoteSeen;
  awaitStep: VoteSeen;
  vote: VoteResult;
  soakSetup: Ready;
  soakRun: SoakCounts;
}
