/**
 * The wire protocol between the Tafelronde server and its clients.
 *
 * Every socket event and REST body has a zod schema here; the server parses all input with
 * these schemas and the TypeScript event maps are derived from them, so the client and the
 * server cannot drift apart silently. Bump PROTOCOL_VERSION on any incompatible change: a
 * tablet that still runs an old bundle is then told to reload instead of misbehaving.
 */
import { z } from 'zod';
import { STEP_TYPES } from './agenda.js';
import { EVALUATION_QUESTIONS, REMARK_LENGTH, type EvaluationSummary } from './evaluation.js';
import { DEFAULT_THEME_LABELS } from './themes.js';
import { LIMITS } from './limits.js';
import { ownRecord } from './ownRecord.js';
import { BallotChoicesSchema, VoteMethod } from './tally.js';
import { VOTE_DEFAULTS } from './voteSettings.js';

export const PROTOCOL_VERSION = 5;

/**
 * Facilitator consoles of a session: how many are open, and which one has control (its socket
 * id; null while any may act). Sent to every console on connect and on each change.
 */
export const ConsoleControl = z.object({ consoles: z.number(), controller: z.string().nullable() });
export type ConsoleControl = z.infer<typeof ConsoleControl>;
/** Sent to the other consoles when one of them changed the session, so none changes silently. */
export const ConsoleActed = z.object({ event: z.string() });
export type ConsoleActed = z.infer<typeof ConsoleActed>;

/** A device counts as in the room for this long after its last connection closed (turnout). */
export const PRESENT_MINUTES = 10;

/** Socket.io event names, in one place. */
export const Events = {
  // client -> server (each answers through an acknowledgement callback)
  clockSync: 'clock:sync',
  deviceJoinTable: 'device:joinTable',
  tableSignal: 'table:signal',
  tableClearSignal: 'table:clearSignal',
  voteOpen: 'vote:open',
  voteClose: 'vote:close',
  ballotSubmit: 'ballot:submit',
  evaluationSubmit: 'evaluation:submit',
  sessionStart: 'session:start',
  stepNext: 'step:next',
  stepBack: 'step:back',
  stepGoto: 'step:goto',
  stepUndo: 'step:undo',
  timerPause: 'timer:pause',
  timerResume: 'timer:resume',
  timerExtend: 'timer:extend',
  agendaUpdate: 'agenda:update',
  projectorSet: 'projector:set',
  deviceMove: 'device:move',
  hostLinks: 'host:links',
  tableSeats: 'table:seats',
  plenaryHarvest: 'plenary:harvest',
  consoleTakeover: 'console:takeover',
  // server -> client
  sessionState: 'session:state',
  deviceState: 'device:state',
  voteTally: 'vote:tally',
  tablesOverview: 'tables:overview',
  tableBoard: 'table:board',
  evaluationSummary: 'evaluation:summary',
  plenaryBoard: 'plenary:board',
  consoleControl: 'console:control',
  consoleActed: 'console:acted',
} as const;

/**
 * The socket.io query parameter that names the session, on every request of a connection, so
 * that a load balancer can send them all to the node that owns it (docs/deploy/nginx.conf). The
 * server reads the session from `auth`, never from here.
 */
export const SESSION_QUERY = 'session';

/** Paths of the plain-websocket Yjs endpoint: `${YJS_PATH}/<sessionId>/<table>`. */
export const YJS_PATH = '/yjs';
/** Sub-protocol every Yjs websocket must offer; credentials travel as a second sub-protocol. */
export const YJS_SUBPROTOCOL = 'tafelronde.yjs.v1';

/**
 * Reasons the Yjs endpoint gives (in y-protocols' permission-denied message) when it refuses or
 * corrects a change: "<code>: <English explanation>"; tablets show the code in their language.
 */
export const BOARD_REFUSAL = {
  read_only: 'read_only: this connection may not change the document',
  step_locked: 'step_locked: the current step does not allow this change to the board',
  host_only: 'host_only: only the table host may hide or show points, or rename sub-themes',
  session_ended: 'session_ended: the session has ended; its boards are the record and do not change',
  bad_shape: 'bad_shape: the change does not fit the documented shape of the document',
  points_limit: 'points_limit: this table has the most points a table can have',
  text_limit: 'text_limit: a point was longer than a point may be; the rest was cut off',
} as const;
export type BoardRefusalCode = keyof typeof BOARD_REFUSAL;

// ---------------------------------------------------------------------------------------------
// Limits that both sides need to know (shared/limits.ts).
export { LIMITS };

// ---------------------------------------------------------------------------------------------
// Shared building blocks.
export const SessionKind = z.enum(['thematafel', 'burgerberaad']);
export type SessionKind = z.infer<typeof SessionKind>;

/** Level of participation (samen denken / doen / beslissen / leren), stated in the report. */
export const Participation = z.enum(['denken', 'doen', 'beslissen', 'leren']);
export type Participation = z.infer<typeof Participation>;

export const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, 'not a session id');
export const JoinCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{6}$/, 'a join code has 6 letters and digits');
export const Secret = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'not a valid key');
export const TableNumber = z.number().int().min(1).max(LIMITS.tables);
const ItemId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'not an id');

export const Theme = z.object({
  id: z.string(),
  label: z.string(),
});
export type Theme = z.infer<typeof Theme>;

// ---------------------------------------------------------------------------------------------
// The agenda (see shared/agenda.ts for its meaning and the templates).
// No NUL: hosted mode's Postgres cannot store it in text, and no one types it.
const trimmedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'contains a NUL character');

export const StepType = z.enum(STEP_TYPES);
export { VoteMethod };
/**
 * What a vote is about: every table's points of the round ('tables'), each table its own
 * points ('table', results per table), the plenary board, or a typed list of recommendations.
 */
export const VoteSource = z.enum(['tables', 'table', 'plenary', 'recommendations']);
export type VoteSource = z.infer<typeof VoteSource>;

/** A vote step's settings; what is left out takes the method's default (see shared/voteSettings.ts). */
const voteSettingsShape = {
  method: VoteMethod,
  source: VoteSource.optional(),
  /** Dots (1-20) or points (1-1000) per voter. */
  budget: z.number().int().min(1).max(LIMITS.pointsBudgetMax).optional(),
  /** Most dots on one item. */
  maxPerItem: z.number().int().min(1).max(LIMITS.dotBudgetMax).optional(),
  /**
   * Recommendations: whole percentage of the votes cast (abstentions not counted) needed to adopt.
   * Graded support: whole percentage of those who graded an item that must choose a supporting level.
   */
  threshold: z.number().int().min(1).max(100).optional(),
  /** Graded support: the scale's labels, best first. */
  labels: z.array(trimmedText(LIMITS.gradeLabelLength)).min(2).max(LIMITS.gradeLevels).optional(),
  /** Graded support: how many of the first labels count as support. */
  accept: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.gradeLevels - 1)
    .optional(),
  recommendations: z.array(trimmedText(LIMITS.recommendationLength)).min(1).max(LIMITS.recommendations).optional(),
  /** Totals stay hidden from everyone but the facilitator until the vote closes. */
  blind: z.boolean().optional(),
};
type VoteSettingsShape = { [K in keyof typeof voteSettingsShape]: z.infer<(typeof voteSettingsShape)[K]> };
const checkVoteSettings = (v: Partial<VoteSettingsShape>, ctx: z.RefinementCtx) => {
  // Without a method (opening a vote with changes only), the step's method decides: checked after merging.
  if (v.method === 'dots' && v.budget !== undefined && v.budget > LIMITS.dotBudgetMax) {
    ctx.addIssue({ code: 'custom', path: ['budget'], message: `at most ${LIMITS.dotBudgetMax} dots per voter` });
  }
  if (v.maxPerItem !== undefined && v.budget !== undefined && v.maxPerItem > v.budget) {
    ctx.addIssue({ code: 'custom', path: ['maxPerItem'], message: 'maxPerItem cannot be larger than the budget' });
  }
  // Without labels the default scale applies (shared/voteSettings.ts): four levels.
  // (Changes sent without a method are checked again once merged with the step's settings.)
  const levels = v.labels?.length ?? (v.method === 'graded' ? VOTE_DEFAULTS.gradedLabels.length : undefined);
  if (v.accept !== undefined && levels !== undefined && v.accept >= levels) {
    ctx.addIssue({ code: 'custom', path: ['accept'], message: 'at least one level of the scale must not count as support' });
  }
  if (v.source === 'recommendations' && !v.recommendations) {
    ctx.addIssue({ code: 'custom', path: ['recommendations'], message: 'a vote on recommendations needs the list of recommendations' });
  }
};
export const VoteSettings = z.object(voteSettingsShape).strict().superRefine(checkVoteSettings);
export type VoteSettings = z.infer<typeof VoteSettings>;

/** Ids are optional on input: the server gives new steps and rounds an id. */
export const StepInput = z
  .object({
    id: ItemId.optional(),
    type: StepType,
    title: trimmedText(LIMITS.stepTitleLength).optional(),
    durationSec: z.number().int().min(0).max(LIMITS.stepDurationSec),
    question: trimmedText(LIMITS.questionLength).optional(),
    vote: VoteSettings.optional(),
  })
  .strict();
export const RoundInput = z
  .object({
    id: ItemId.optional(),
    title: trimmedText(LIMITS.stepTitleLength).optional(),
    question: trimmedText(LIMITS.questionLength).optional(),
    rotate: z.boolean().default(false),
    steps: z.array(StepInput).min(1).max(LIMITS.stepsPerRound),
  })
  .strict();
export const AgendaInput = z
  .object({ rounds: z.array(RoundInput).min(1).max(LIMITS.rounds) })
  .strict()
  .refine(
    (a) => {
      const ids = a.rounds.flatMap((r) => [r.id, ...r.steps.map((s) => s.id)]).filter((id) => id !== undefined);
      return new Set(ids).size === ids.length;
    },
    { message: 'round and step ids must be unique' },
  );
export type AgendaInput = z.input<typeof AgendaInput>;

// ---------------------------------------------------------------------------------------------
// REST bodies.

export const CreateSessionBody = z
  .object({
    kind: SessionKind.default('thematafel'),
    title: trimmedText(LIMITS.titleLength).optional(),
    question: trimmedText(LIMITS.questionLength).optional(),
    /** Where the session takes place, e.g. "Raadszaal, Stadhuis Zwolle". */
    place: trimmedText(LIMITS.placeLength).optional(),
    participation: Participation.optional(),
    /** Who decides on the outcome, e.g. "de gemeenteraad"; the report says so. */
    decides: trimmedText(LIMITS.decidesLength).optional(),
    tables: z.number().int().min(1).max(LIMITS.tables).default(4),
    themes: z
      .array(trimmedText(LIMITS.themeLabelLength))
      .min(1)
      .max(LIMITS.themes)
      .refine((labels) => new Set(labels.map((l) => l.toLowerCase())).size === labels.length, {
        message: 'themes must be different from each other',
      })
      .default([...DEFAULT_THEME_LABELS]),
    /** Without an agenda, the template of the session's kind is used. */
    agenda: AgendaInput.optional(),
  })
  .strict();
export type CreateSessionBody = z.input<typeof CreateSessionBody>;

export const CreateSessionResponse = z.object({
  id: z.string(),
  joinCode: z.string(),
  facilitatorKey: z.string(),
  urls: z.object({
    facilitator: z.string(),
    projector: z.string(),
    observer: z.string(),
    join: z.string(),
  }),
});
export type CreateSessionResponse = z.infer<typeof CreateSessionResponse>;

export const JoinBody = z.object({ code: JoinCode }).strict();
export const JoinResponse = z.object({
  sessionId: z.string(),
  deviceToken: z.string(),
});
export type JoinResponse = z.infer<typeof JoinResponse>;

/** What the public `GET /api/join/:code` tells before a device commits to joining. */
export const JoinPreview = z.object({
  sessionId: z.string(),
  title: z.string(),
  tables: z.number(),
});
export type JoinPreview = z.infer<typeof JoinPreview>;

/** `PUT /api/sessions/:id/notes`: the report's tips and actions, replacing the saved list. */
export const REPORT_NOTES_MAX = 50;
export const REPORT_NOTE_LENGTH = 500;
export const ReportNotesBody = z.object({ notes: z.array(trimmedText(REPORT_NOTE_LENGTH)).max(REPORT_NOTES_MAX) }).strict();
export type ReportNotesBody = z.input<typeof ReportNotesBody>;

// ---------------------------------------------------------------------------------------------
// Socket handshake: `io(url, { auth })`.
export const HandshakeAuth = z.discriminatedUnion('role', [
  z.object({ protocol: z.number(), role: z.literal('facilitator'), sessionId: SessionId, key: Secret }),
  z.object({ protocol: z.number(), role: z.literal('device'), sessionId: SessionId, token: Secret }),
  z.object({ protocol: z.number(), role: z.literal('host'), sessionId: SessionId, table: TableNumber, key: Secret }),
  z.object({ protocol: z.number(), role: z.literal('viewer'), sessionId: SessionId }),
]);
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
export type Role = HandshakeAuth['role'];

// ---------------------------------------------------------------------------------------------
// Client -> server payloads.
export const EmptyPayload = z.object({}).strict();
export const ClockSyncResult = z.object({ serverNow: z.number() });
export type ClockSyncResult = z.infer<typeof ClockSyncResult>;

export const DeviceJoinTablePayload = z.object({ table: TableNumber }).strict();

export const TableSignalKind = z.enum(['ready', 'help']);
export type TableSignalKind = z.infer<typeof TableSignalKind>;
/** From a tablet: "wij zijn klaar" or "hulp gevraagd", on or off, for its own table. */
export const TableSignalPayload = z.object({ signal: TableSignalKind, on: z.boolean() }).strict();
/** From the facilitator (any table) or a table host (its own table). */
export const TableClearSignalPayload = z.object({ table: TableNumber, signal: TableSignalKind }).strict();

/**
 * `from` is the step the console showed when the facilitator clicked (null in the lobby). The
 * server refuses a move from a step the session has already left (`stale_step`), so a double
 * click, or two consoles, move the session one step. Without `from` the move is unconditional.
 */
const StepFrom = { from: ItemId.nullable().optional() };
export const StepMovePayload = z.object(StepFrom).strict();
export type StepMovePayload = z.infer<typeof StepMovePayload>;
export const StepGotoPayload = z.object({ stepId: ItemId, ...StepFrom }).strict();
export const TimerExtendPayload = z.object({ seconds: z.number().int().min(1).max(3600) }).strict();
export const AgendaUpdatePayload = z.object({ agenda: AgendaInput }).strict();

export const Spotlight = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table'), table: TableNumber }).strict(),
  z.object({ kind: z.literal('result') }).strict(),
  z.object({ kind: z.literal('plenary') }).strict(),
  /** The plenary points raised at more than one table, most widely raised first. */
  z.object({ kind: z.literal('converging') }).strict(),
]);
export type Spotlight = z.infer<typeof Spotlight>;
/** Seconds a projector page stays up before the next one, when paging runs by itself. */
export const PROJECTOR_PAGE_SECONDS = 20;

export const ProjectorSettings = z.object({
  theme: z.enum(['dark', 'light']),
  spotlight: Spotlight.nullable(),
  /**
   * A pinned spotlight stays when the session moves on or a vote opens; an unpinned one gives
   * way to what the step shows.
   */
  pinned: z.boolean().default(false),
  /** How large the join card is: large while people come in, small once everyone has joined. */
  join: z.enum(['large', 'small', 'hidden']).default('large'),
  /**
   * Which page of a long stage is up: the projector shows page `(turn + pages turned by itself
   * since `since`) mod pages`. Pages depend on the screen, so only the turns are shared.
   */
  paging: z.object({ auto: z.boolean(), turn: z.number().int(), since: z.number() }).default({ auto: true, turn: 0, since: 0 }),
  /** Result items shown, counted from the bottom (item by item reveal); null shows them all. */
  reveal: z.number().int().min(0).nullable().default(null),
});
export type ProjectorSettings = z.infer<typeof ProjectorSettings>;
/**
 * Changes to the projector. `page` turns the page now (and restarts the page timer); `reveal`
 * starts an item-by-item reveal of the result ('stepwise'), shows the next item ('next') or all.
 */
export const ProjectorSetPayload = z
  .object({
    theme: z.enum(['dark', 'light']).optional(),
    spotlight: Spotlight.nullable().optional(),
    pinned: z.boolean().optional(),
    join: z.enum(['large', 'small', 'hidden']).optional(),
    autoPage: z.boolean().optional(),
    page: z.enum(['next', 'previous']).optional(),
    reveal: z.enum(['stepwise', 'next', 'all']).optional(),
  })
  .strict();
export type ProjectorSetPayload = z.infer<typeof ProjectorSetPayload>;

/** Moves a device, named by the short label its own screen shows, to another table. */
export const DeviceMovePayload = z.object({ label: z.string().regex(/^[A-Z0-9]{3}$/), table: TableNumber }).strict();
/**
 * Brings table points to the plenary board: from every table the latest round's chosen top
 * points ('tops') or all its points ('all'), or the points the facilitator picked from one
 * table. Points already there are skipped.
 */
export const PlenaryHarvestPayload = z.discriminatedUnion('from', [
  z.object({ from: z.literal('tops') }).strict(),
  z.object({ from: z.literal('all') }).strict(),
  z.object({ from: z.literal('table'), table: TableNumber, pointIds: z.array(ItemId).min(1).max(LIMITS.pointsPerTable) }).strict(),
]);
export const PlenaryHarvestResult = z.object({
  added: z.number(),
  /** Tables that have points in this round but chose no top points yet. */
  withoutTop: z.array(z.number()),
});
export type PlenaryHarvestResult = z.infer<typeof PlenaryHarvestResult>;

export const HostLink = z.object({ table: z.number(), url: z.string() });
export type HostLink = z.infer<typeof HostLink>;

/** What is given overrides the current step's vote settings; the rest comes from the step. */
export const VoteOpenPayload = z.object(voteSettingsShape).partial().strict().superRefine(checkVoteSettings);
export type VoteOpenPayload = z.input<typeof VoteOpenPayload>;

export const VoteClosePayload = z.object({ voteId: z.string().min(1).max(64) }).strict();

export const BallotSubmitPayload = z
  .object({
    voteId: z.string().min(1).max(LIMITS.idLength),
    /** Chosen by the tablet and kept there, so a resend or a change replaces the same ballot. */
    ballotId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a ballot id'),
    /** On a shared tablet (doorgeefstand): which seat at the table this ballot is for, from 1. */
    seat: z.number().int().min(1).max(LIMITS.seatsPerTable).optional(),
    /** What the voter chose, by the vote's method (see shared/tally.ts). */
    choices: BallotChoicesSchema,
  })
  .strict();
export type BallotSubmitPayload = z.infer<typeof BallotSubmitPayload>;

/** The facilitator sets how many people share each table's tablet; 0 turns it off. */
export const TableSeatsPayload = z.object({ table: TableNumber, seats: z.number().int().min(0).max(LIMITS.seatsPerTable) }).strict();

export const EvaluationSubmitPayload = z
  .object({
    stepId: ItemId,
    /** Made and kept by the tablet, like a ballot id: a resend or a change replaces the response. */
    responseId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a response id'),
    scores: ownRecord(z.enum(EVALUATION_QUESTIONS), z.number().int().min(1).max(5), EVALUATION_QUESTIONS.length).transform((r) => r as Partial<typeof r>),
    remark: z.string().trim().max(REMARK_LENGTH).optional(),
  })
  .strict();
export type EvaluationSubmitPayload = z.infer<typeof EvaluationSubmitPayload>;

// ---------------------------------------------------------------------------------------------
// Server -> client payloads.
export const VoteItem = z.object({
  id: z.string(),
  /** The table the point comes from; null for a recommendation, or a plenary point from several tables. */
  table: z.number().nullable(),
  theme: z.string().nullable(),
  text: z.string(),
  /** Plenary points: the tables it came from. */
  tables: z.array(z.number()).optional(),
});
export type VoteItem = z.infer<typeof VoteItem>;

export const VoteRulesView = z.discriminatedUnion('method', [
  z.object({ method: z.literal('dots'), budget: z.number(), maxPerItem: z.number() }),
  z.object({ method: z.literal('ranking') }),
  z.object({ method: z.literal('points'), budget: z.number() }),
  z.object({ method: z.literal('recommendations'), threshold: z.number() }),
  z.object({ method: z.literal('graded'), labels: z.array(z.string()), accept: z.number(), threshold: z.number() }),
]);

export const VoteView = z.object({
  id: z.string(),
  method: VoteMethod,
  source: VoteSource,
  rules: VoteRulesView,
  blind: z.boolean(),
  status: z.enum(['open', 'closed']),
  stepId: z.string().nullable(),
  items: z.array(VoteItem),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
});
export type VoteView = z.infer<typeof VoteView>;

export const AgendaView = z.object({
  rounds: z.array(
    z.object({
      id: z.string(),
      title: z.string().optional(),
      question: z.string().optional(),
      rotate: z.boolean(),
      steps: z.array(
        z.object({
          id: z.string(),
          type: StepType,
          title: z.string().optional(),
          durationSec: z.number(),
          question: z.string().optional(),
          vote: z.object(voteSettingsShape).optional(),
        }),
      ),
    }),
  ),
});
export type AgendaView = z.infer<typeof AgendaView>;

export const TimerView = z.object({
  durationMs: z.number(),
  running: z.boolean(),
  endsAt: z.number().nullable(),
  remainingMs: z.number(),
});

export const RunView = z.object({
  status: z.enum(['lobby', 'running', 'ended']),
  stepId: z.string().nullable(),
  timer: TimerView.nullable(),
  /** The last step move can be undone (`step:undo`): back to this step, its timer as it was. */
  undo: z.object({ status: z.enum(['lobby', 'running', 'ended']), stepId: z.string().nullable(), movedAt: z.number() }).nullable(),
});
export type RunView = z.infer<typeof RunView>;

export const TablePoint = z.object({ id: z.string(), theme: z.string(), text: z.string() });
/** A table's top points in a round (its own top 3, or else the best in the vote). */
export const TableTop = z.object({
  table: z.number(),
  round: z.string(),
  /** True when the table chose these as its top 3; false when these are simply its points. */
  chosen: z.boolean(),
  points: z.array(TablePoint),
});
export type TableTop = z.infer<typeof TableTop>;

export const SessionView = z.object({
  id: z.string(),
  kind: SessionKind,
  title: z.string(),
  question: z.string(),
  place: z.string(),
  participation: Participation.nullable(),
  decides: z.string(),
  joinCode: z.string(),
  joinUrl: z.string(),
  tables: z.number(),
  themes: z.array(Theme),
  createdAt: z.number(),
  /** The vote that is open now, or else the most recent one. */
  vote: VoteView.nullable(),
  agenda: AgendaView,
  run: RunView,
  projector: ProjectorSettings,
  /** Each table's top points, for the feedback (terugkoppeling) steps. */
  tops: z.array(TableTop),
});
export type SessionView = z.infer<typeof SessionView>;

export const DeviceState = z.object({
  table: z.number().nullable(),
  /** Short code shown on the tablet, so the facilitator can say which device to move. */
  label: z.string(),
  /** True at the start of a round with rotation, until the device picked (or kept) its table. */
  mustPickTable: z.boolean(),
  /** Signals this device's table has on. */
  signals: z.object({ ready: z.boolean(), help: z.boolean() }),
  /** Whether this device already has a ballot in the current vote (never what it chose). */
  votedIn: z.array(z.string()),
  /** Seats at this table on a shared tablet (doorgeefstand); 0 when everyone has a device. */
  seats: z.number(),
  /** Shared tablet: the seats at this table that voted in the open vote. */
  seatsVoted: z.array(z.number()),
  /** Evaluation steps in which this device answered (never what). */
  evaluatedIn: z.array(z.string()),
});
export type DeviceState = z.infer<typeof DeviceState>;

/** A result's graded-support and spread figures, the same on a screen's row and in the report. */
export const gradedAndSpreadFields = {
  /** Graded support: ballots per level of the scale (best first), how many graded, how many supported, as a percentage. */
  levels: z.array(z.number()).optional(),
  graders: z.number().optional(),
  accepted: z.number().optional(),
  acceptPct: z.number().nullable().optional(),
  /** Ranking, points and graded support: how divided the room is, 0 to 0.5 (shared/tally.ts spreadOf), and whether above 0.3. */
  spread: z.number().nullable().optional(),
  divided: z.boolean().optional(),
};

/** One item's result, best first; which counters are present depends on the method. */
export const ResultRow = z.object({
  id: z.string(),
  rank: z.number(),
  tied: z.boolean(),
  /** Dots or points total, Borda score, or support % (-1 when nothing was cast). */
  score: z.number(),
  firsts: z.number().optional(),
  ranked: z.number().optional(),
  support: z.number().optional(),
  oppose: z.number().optional(),
  abstain: z.number().optional(),
  cast: z.number().optional(),
  supportPct: z.number().nullable().optional(),
  adopted: z.boolean().optional(),
  ...gradedAndSpreadFields,
});
export type ResultRow = z.infer<typeof ResultRow>;

export const Tally = z.object({
  voteId: z.string(),
  method: VoteMethod,
  /** Ballots received (a blank ballot counts: its voter took part). */
  ballots: z.number(),
  /** Who could vote when the tally was made: devices at a table, or its seats on a shared tablet. */
  eligible: z.number(),
  /** True while a blind vote is open and this screen is not the facilitator's: no results yet. */
  hidden: z.boolean(),
  /** Results over all items ('table' votes: empty, see `tables`). */
  results: z.array(ResultRow),
  /** Per table, for votes in which each table votes on its own points. */
  tables: z.array(
    z.object({
      table: z.number(),
      ballots: z.number(),
      /** Fewer than MIN_VOTERS_SHOWN voted here: the results stay hidden, so nobody's ballot can be read from them. */
      withheld: z.boolean(),
      results: z.array(ResultRow),
    }),
  ),
  /** The facilitator's tallies only (see TallyByTable); screens and tablets get 'none'. */
  byTable: z.lazy(() => TallyByTable),
});
export type Tally = z.infer<typeof Tally>;
/**
 * A result per table, for votes on points of several tables: shown only when every table where
 * somebody voted has at least MIN_VOTERS_SHOWN ballots; 'incomplete' after a restart during the
 * vote (ballots do not record their table, so earlier ones cannot be placed). Facilitator only.
 */
export const TallyByTable = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('shown'),
    /** Each table's headline figure (dots, points, Borda, support %): in a live tally for the whole result's first BREAKDOWN_ITEMS items, in the report for all. */
    tables: z.array(z.object({ table: z.number(), ballots: z.number(), scores: z.record(z.string(), z.number().nullable()) })),
  }),
  z.object({ status: z.literal('withheld'), reason: z.enum(['few', 'incomplete']) }),
  z.object({ status: z.literal('none') }),
]);
export type TallyByTable = z.infer<typeof TallyByTable>;

/**
 * Items a live result per table carries: the console shows ten, and sixty tables' full results
 * ten times a second would cost the server more than the ballots (the report has them all).
 */
export const BREAKDOWN_ITEMS = 10;

/** Per-table results are only shown when at least this many voted at that table. */
export const MIN_VOTERS_SHOWN = 3;

export const TableOverview = z.object({
  table: z.number(),
  connected: z.number(),
  joined: z.number(),
  points: z.number(),
  /** Ballots from this table in the current vote: a count, never which. */
  voted: z.number(),
  /** Seats on a shared tablet (doorgeefstand); 0 when everyone has a device. */
  seats: z.number(),
  ready: z.boolean(),
  help: z.boolean(),
  /** Labels of the devices that picked this table, for moving them. */
  devices: z.array(z.object({ label: z.string(), connected: z.boolean() })),
});
export const TablesOverview = z.array(TableOverview);
export type TableOverview = z.infer<typeof TableOverview>;

// ---------------------------------------------------------------------------------------------
// Acknowledgements and errors.
export const ErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'protocol_mismatch',
  'not_started',
  'step_locked',
  'wrong_step',
  'stale_step',
  'not_in_control',
  'session_not_found',
  'no_table',
  'vote_already_open',
  'vote_not_open',
  'vote_closed',
  'no_points',
  'over_budget',
  'over_item_limit',
  'unknown_item',
  'already_voted',
  'wrong_method',
  'duplicate_item',
  'unknown_level',
  'seat_taken',
  'too_large',
  /** An upload that is not a whole PNG or JPEG within the limits (the report logo). */
  'bad_image',
  'unsupported_media_type',
  'rate_limited',
  'too_many_connections',
  /** Hosted mode: the node could not store it in Postgres (it lost the session to another node). */
  'not_stored',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
export type ErrorInfo = ErrorBody['error'];

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorInfo };
export type AckFn<T> = (res: Ack<T>) => void;

export const BallotReceipt = z.object({ voteId: z.string(), ballotId: z.string(), seat: z.number().nullable(), changed: z.boolean() });
export type BallotReceipt = z.infer<typeof BallotReceipt>;

/** Turns zod issues into the flat form sent to clients. */
export function describeIssues(error: z.ZodError): NonNullable<ErrorInfo['issues']> {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

// ---------------------------------------------------------------------------------------------
// Typed event maps for socket.io, derived from the schemas above.

/** Carries an event's reply type in the contract below; the value is never read. */
const reply = <T>() => undefined as unknown as T;

const EVERYONE = ['facilitator', 'host', 'device', 'viewer'] as const satisfies readonly Role[];

export interface EventSpec {
  /** The payload's schema: the server parses every payload with it. */
  schema: z.ZodType;
  /** Who may send it; anyone else gets `forbidden`. */
  roles: readonly Role[];
  /**
   * It changes the session: a facilitator console may send it only while it has control
   * (see server/consoles.ts), and the other consoles hear of it (`console:acted`).
   */
  control: boolean;
  /** The type of the acknowledgement's data. */
  reply: unknown;
}

/**
 * The client → server contract in one table: each event's payload schema, who may send it,
 * whether it needs control of the session, and what it answers. The client's typed socket
 * (`ClientToServerEvents`) and the server's handler table (server/realtime/handlers.ts) are
 * both derived from it, so a missing handler or a reply of the wrong shape does not compile.
 */
export const CLIENT_EVENTS = {
  [Events.clockSync]: { schema: EmptyPayload, roles: EVERYONE, control: false, reply: reply<ClockSyncResult>() },
  [Events.deviceJoinTable]: { schema: DeviceJoinTablePayload, roles: ['device'], control: false, reply: reply<DeviceState>() },
  [Events.tableSignal]: { schema: TableSignalPayload, roles: ['device'], control: false, reply: reply<DeviceState>() },
  [Events.ballotSubmit]: { schema: BallotSubmitPayload, roles: ['device'], control: false, reply: reply<BallotReceipt>() },
  [Events.evaluationSubmit]: { schema: EvaluationSubmitPayload, roles: ['device'], control: false, reply: reply<{ stepId: string; changed: boolean }>() },
  [Events.tableClearSignal]: { schema: TableClearSignalPayload, roles: ['facilitator', 'host'], control: true, reply: reply<null>() },
  [Events.sessionStart]: { schema: EmptyPayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.stepNext]: { schema: StepMovePayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.stepBack]: { schema: StepMovePayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.stepUndo]: { schema: StepMovePayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.stepGoto]: { schema: StepGotoPayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.timerPause]: { schema: EmptyPayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.timerResume]: { schema: EmptyPayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.timerExtend]: { schema: TimerExtendPayload, roles: ['facilitator'], control: true, reply: reply<RunView>() },
  [Events.agendaUpdate]: { schema: AgendaUpdatePayload, roles: ['facilitator'], control: true, reply: reply<AgendaView>() },
  [Events.projectorSet]: { schema: ProjectorSetPayload, roles: ['facilitator'], control: true, reply: reply<ProjectorSettings>() },
  [Events.deviceMove]: { schema: DeviceMovePayload, roles: ['facilitator'], control: true, reply: reply<null>() },
  [Events.hostLinks]: { schema: EmptyPayload, roles: ['facilitator'], control: false, reply: reply<HostLink[]>() },
  [Events.tableSeats]: { schema: TableSeatsPayload, roles: ['facilitator'], control: true, reply: reply<null>() },
  [Events.plenaryHarvest]: { schema: PlenaryHarvestPayload, roles: ['facilitator'], control: true, reply: reply<PlenaryHarvestResult>() },
  [Events.voteOpen]: { schema: VoteOpenPayload, roles: ['facilitator'], control: true, reply: reply<VoteView>() },
  [Events.voteClose]: { schema: VoteClosePayload, roles: ['facilitator'], control: true, reply: reply<VoteView>() },
  [Events.consoleTakeover]: { schema: EmptyPayload, roles: ['facilitator'], control: false, reply: reply<ConsoleControl>() },
} as const satisfies Record<string, EventSpec>;

export type ClientEvent = keyof typeof CLIENT_EVENTS;
/** A payload as the handler gets it: parsed by its schema. */
export type PayloadOf<E extends ClientEvent> = z.output<(typeof CLIENT_EVENTS)[E]['schema']>;
export type ReplyOf<E extends ClientEvent> = (typeof CLIENT_EVENTS)[E]['reply'];
export type SenderOf<E extends ClientEvent> = (typeof CLIENT_EVENTS)[E]['roles'][number];

/** The client's typed socket: what it may send (the payload before parsing) and what it gets back. */
export type ClientToServerEvents = { [E in ClientEvent]: (p: z.input<(typeof CLIENT_EVENTS)[E]['schema']>, ack: AckFn<ReplyOf<E>>) => void };

export const TableBoard = z.object({ table: z.number(), points: z.array(TablePoint) });
export type TableBoard = z.infer<typeof TableBoard>;

/** The plenary board as the room sees it (see shared/plenary.ts). */
export const PlenaryBoard = z.object({
  themes: z.array(Theme),
  points: z.array(
    z.object({
      id: z.string(),
      theme: z.string(),
      cluster: z.string().nullable(),
      text: z.string(),
      count: z.number(),
      tables: z.array(z.number()),
      merged: z.array(z.string()),
    }),
  ),
  hidden: z.number(),
});
export type PlenaryBoard = z.infer<typeof PlenaryBoard>;

export interface ServerToClientEvents {
  [Events.sessionState]: (s: SessionView) => void;
  [Events.deviceState]: (s: DeviceState) => void;
  [Events.voteTally]: (t: Tally) => void;
  [Events.tablesOverview]: (t: TableOverview[]) => void;
  [Events.tableBoard]: (b: TableBoard) => void;
  [Events.evaluationSummary]: (s: EvaluationSummary) => void;
  [Events.plenaryBoard]: (b: PlenaryBoard) => void;
  [Events.consoleControl]: (c: ConsoleControl) => void;
  [Events.consoleActed]: (a: ConsoleActed) => void;
}
