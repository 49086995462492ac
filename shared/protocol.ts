/**
 * The wire protocol between the Tafelronde server and its clients.
 *
 * Every socket event and REST body has a zod schema here; the server parses all input with
 * these schemas and the TypeScript event maps are derived from them, so the client and the
 * server cannot drift apart silently. Bump PROTOCOL_VERSION on any incompatible change: a
 * tablet that still runs an old bundle is then told to reload instead of misbehaving.
 */
import { z } from 'zod';
import { DEFAULT_THEME_LABELS } from './themes.js';

export const PROTOCOL_VERSION = 1;

/** Socket.io event names, in one place. */
export const Events = {
  // client -> server (each answers through an acknowledgement callback)
  deviceJoinTable: 'device:joinTable',
  voteOpen: 'vote:open',
  voteClose: 'vote:close',
  ballotSubmit: 'ballot:submit',
  // server -> client
  sessionState: 'session:state',
  deviceState: 'device:state',
  voteTally: 'vote:tally',
  tablesOverview: 'tables:overview',
} as const;

/** Paths of the plain-websocket Yjs endpoint: `${YJS_PATH}/<sessionId>/<table>`. */
export const YJS_PATH = '/yjs';
/** Sub-protocol every Yjs websocket must offer; credentials travel as a second sub-protocol. */
export const YJS_SUBPROTOCOL = 'tafelronde.yjs.v1';

// ---------------------------------------------------------------------------------------------
// Limits that both sides need to know.
export const LIMITS = {
  titleLength: 200,
  questionLength: 1000,
  themes: 12,
  themeLabelLength: 60,
  tables: 60,
  pointTextLength: 500,
  pointsPerTable: 300,
  dotBudgetMax: 20,
} as const;

// ---------------------------------------------------------------------------------------------
// Shared building blocks.
export const SessionKind = z.enum(['thematafel', 'burgerberaad']);
export type SessionKind = z.infer<typeof SessionKind>;

export const SessionId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, 'not a session id');
export const JoinCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{6}$/, 'a join code has 6 letters and digits');
export const Secret = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'not a valid key');
export const TableNumber = z.number().int().min(1).max(LIMITS.tables);

export const Theme = z.object({
  id: z.string(),
  label: z.string(),
});
export type Theme = z.infer<typeof Theme>;

// ---------------------------------------------------------------------------------------------
// REST bodies.
const trimmedText = (max: number) => z.string().trim().min(1).max(max);

export const CreateSessionBody = z
  .object({
    kind: SessionKind.default('thematafel'),
    title: trimmedText(LIMITS.titleLength).optional(),
    question: trimmedText(LIMITS.questionLength).optional(),
    tables: z.number().int().min(1).max(LIMITS.tables).default(4),
    themes: z
      .array(trimmedText(LIMITS.themeLabelLength))
      .min(1)
      .max(LIMITS.themes)
      .refine((labels) => new Set(labels.map((l) => l.toLowerCase())).size === labels.length, {
        message: 'themes must be different from each other',
      })
      .default([...DEFAULT_THEME_LABELS]),
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

// ---------------------------------------------------------------------------------------------
// Socket handshake: `io(url, { auth })`.
export const HandshakeAuth = z.discriminatedUnion('role', [
  z.object({ protocol: z.number(), role: z.literal('facilitator'), sessionId: SessionId, key: Secret }),
  z.object({ protocol: z.number(), role: z.literal('device'), sessionId: SessionId, token: Secret }),
  z.object({ protocol: z.number(), role: z.literal('viewer'), sessionId: SessionId }),
]);
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
export type Role = HandshakeAuth['role'];

// ---------------------------------------------------------------------------------------------
// Client -> server payloads.
export const DeviceJoinTablePayload = z.object({ table: TableNumber }).strict();

export const VoteOpenPayload = z
  .object({
    budget: z.number().int().min(1).max(LIMITS.dotBudgetMax).default(3),
    /** Most dots one voter may put on a single point; defaults to the whole budget. */
    maxPerItem: z.number().int().min(1).max(LIMITS.dotBudgetMax).optional(),
  })
  .strict()
  .refine((p) => p.maxPerItem === undefined || p.maxPerItem <= p.budget, {
    message: 'maxPerItem cannot be larger than the budget',
    path: ['maxPerItem'],
  });
export type VoteOpenPayload = z.input<typeof VoteOpenPayload>;

export const VoteClosePayload = z.object({ voteId: z.string().min(1).max(64) }).strict();

export const BallotSubmitPayload = z
  .object({
    voteId: z.string().min(1).max(64),
    /** Chosen by the tablet and kept there, so a resend or a change replaces the same ballot. */
    ballotId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not a ballot id'),
    /** Dots per vote item; items without dots may be left out. */
    dots: z.record(z.string().max(64), z.number().int().min(0).max(LIMITS.dotBudgetMax)),
  })
  .strict();
export type BallotSubmitPayload = z.infer<typeof BallotSubmitPayload>;

// ---------------------------------------------------------------------------------------------
// Server -> client payloads.
export const VoteItem = z.object({
  id: z.string(),
  table: z.number(),
  theme: z.string(),
  text: z.string(),
});
export type VoteItem = z.infer<typeof VoteItem>;

export const VoteView = z.object({
  id: z.string(),
  method: z.literal('dots'),
  status: z.enum(['open', 'closed']),
  budget: z.number(),
  maxPerItem: z.number(),
  items: z.array(VoteItem),
  openedAt: z.number(),
  closedAt: z.number().nullable(),
});
export type VoteView = z.infer<typeof VoteView>;

export const SessionView = z.object({
  id: z.string(),
  kind: SessionKind,
  title: z.string(),
  question: z.string(),
  joinCode: z.string(),
  joinUrl: z.string(),
  tables: z.number(),
  themes: z.array(Theme),
  createdAt: z.number(),
  /** The vote that is open now, or else the most recent one. */
  vote: VoteView.nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

export const DeviceState = z.object({
  table: z.number().nullable(),
  /** Whether this device already has a ballot in the current vote (never what it chose). */
  votedIn: z.array(z.string()),
});
export type DeviceState = z.infer<typeof DeviceState>;

export const Tally = z.object({
  voteId: z.string(),
  totals: z.record(z.string(), z.number()),
  ballots: z.number(),
  /** Devices that had joined a table when the tally was made: the turnout denominator. */
  eligible: z.number(),
});
export type Tally = z.infer<typeof Tally>;

export const TableOverview = z.object({
  table: z.number(),
  connected: z.number(),
  joined: z.number(),
  points: z.number(),
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
  'too_large',
  'unsupported_media_type',
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

export const BallotReceipt = z.object({ voteId: z.string(), ballotId: z.string(), changed: z.boolean() });
export type BallotReceipt = z.infer<typeof BallotReceipt>;

/** Turns zod issues into the flat form sent to clients. */
export function describeIssues(error: z.ZodError): NonNullable<ErrorInfo['issues']> {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

// ---------------------------------------------------------------------------------------------
// Typed event maps for socket.io, derived from the schemas above.
export interface ClientToServerEvents {
  [Events.deviceJoinTable]: (p: z.input<typeof DeviceJoinTablePayload>, ack: AckFn<DeviceState>) => void;
  [Events.voteOpen]: (p: VoteOpenPayload, ack: AckFn<VoteView>) => void;
  [Events.voteClose]: (p: z.input<typeof VoteClosePayload>, ack: AckFn<VoteView>) => void;
  [Events.ballotSubmit]: (p: BallotSubmitPayload, ack: AckFn<BallotReceipt>) => void;
}

export interface ServerToClientEvents {
  [Events.sessionState]: (s: SessionView) => void;
  [Events.deviceState]: (s: DeviceState) => void;
  [Events.voteTally]: (t: Tally) => void;
  [Events.tablesOverview]: (t: TableOverview[]) => void;
}
