/**
 * The append-only log of facilitator actions, with server time, for the report's process
 * appendix. Entries describe what the facilitator did; they never name a device (a tablet
 * moved from one table to another, never which one).
 *
 * Each type of entry has one zod schema for its data, below; the types that writers and
 * readers use are derived from them.
 */
import { z } from 'zod';
import { STEP_TYPES } from '../shared/agenda.js';
import { ProjectorSettings, SessionKind, TableSignalKind, VoteMethod, VoteSource } from '../shared/protocol.js';
import { RunStatus } from '../shared/report.js';
import { VoteRulesSchema } from '../shared/tally.js';
import type { Db } from './db.js';
import { statement } from './db.js';

const count = z.number().int().min(0);
const table = z.number().int().min(1);

/** What each type of entry holds: the shapes as written today (older rows: see `readEntry`). */
const ENTRY_DATA = {
  'session.created': z.object({ kind: SessionKind, tables: count, themes: count }),
  'agenda.edited': z.object({ rounds: count, steps: count }),
  /** Also the session's end: `status` 'ended', without a step. `round` counts from 1. */
  'step.entered': z.object({
    action: z.enum(['start', 'next', 'back', 'goto', 'undo']),
    status: RunStatus,
    stepId: z.string().nullable(),
    stepType: z.enum(STEP_TYPES).nullable(),
    round: z.number().int().min(1).nullable(),
  }),
  'timer.pause': z.object({}),
  'timer.resume': z.object({}),
  'timer.extend': z.object({ seconds: z.number().int().min(1) }),
  /** `items`: how many items were on the ballot. */
  'vote.opened': z.object({
    voteId: z.string(),
    method: VoteMethod,
    source: VoteSource,
    rules: VoteRulesSchema,
    blind: z.boolean(),
    items: count,
    stepId: z.string(),
  }),
  'vote.closed': z.object({ voteId: z.string(), ballots: count, reason: z.enum(['facilitator', 'step changed']) }),
  'projector.changed': ProjectorSettings,
  /** A tablet went to another table: only the tables, never the tablet. `from` is null if it had none. */
  'device.moved': z.object({ from: table.nullable(), to: table }),
  'signal.cleared': z.object({ table, signal: TableSignalKind, by: z.enum(['facilitator', 'host']) }),
  /** `table` only when the points were picked from one table. */
  'plenary.harvested': z.object({ from: z.enum(['tops', 'all', 'table']), table: table.optional(), added: count }),
  'table.seats': z.object({ table, seats: count }),
} satisfies Record<string, z.ZodObject>;

export type EventType = keyof typeof ENTRY_DATA;
const EVENT_TYPES = new Set(Object.keys(ENTRY_DATA));
const isEventType = (type: string): type is EventType => EVENT_TYPES.has(type);

/** The data a writer gives for an entry of this type, in full. */
export type EventData<T extends EventType> = z.infer<(typeof ENTRY_DATA)[T]>;
/** Data for exactly one type: with a union of types (`timer.${string}`) nothing fits, so no writer can pass one type's data as another's. */
type DataFor<T extends EventType> = { [K in EventType]: [T] extends [K] ? EventData<K> : never }[EventType];

/**
 * An entry as read back. Rows written by older versions lack fields added since (a vote's
 * step, why it closed), so a reader finds every field possibly missing and uses what is there.
 */
export type LogEntry = { [T in EventType]: { at: number; type: T; data: Partial<EventData<T>> } }[EventType];
/** The same entry, by the name tests know it by. */
export type LoggedEvent = LogEntry;

/**
 * Reads one stored row. A row of a type no version writes any more (or never did) is skipped.
 * Otherwise its data are checked against its type's schema; when they do not match (a row
 * from an older version, or damaged), the entry is kept with the fields that do match and
 * without the others. Skipping it would drop it from the report's timeline, and an old
 * database's votes would lose their step; kept, the timeline shows what the row still says,
 * as the report has always done.
 */
export function readEntry(row: { at: number; type: string; data: string }): LogEntry | null {
  const { at, type } = row;
  if (!isEventType(type)) return null;
  const schema: z.ZodObject<Record<string, z.ZodType>> = ENTRY_DATA[type];
  const raw = parseJson(row.data);
  const whole = schema.safeParse(raw);
  if (whole.success) return { at, type, data: whole.data } as LogEntry;
  const fields = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const data: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (!Object.hasOwn(fields, key)) continue;
    const value = field.safeParse(fields[key]);
    if (value.success) data[key] = value.data;
  }
  return { at, type, data } as LogEntry;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class EventLog {
  constructor(private readonly db: Db) {}

  append<T extends EventType>(sessionId: string, type: T, data: DataFor<T>, at = Date.now()): void {
    // Only the fields its type declares are stored: an object passed with more in it (a device
    // record, say) cannot carry anything else into the log.
    const declared = new Set(Object.keys(ENTRY_DATA[type].shape));
    const stored = Object.fromEntries(Object.entries(data).filter(([key]) => declared.has(key)));
    statement(this.db, 'INSERT INTO event_log (session_id, at, type, data) VALUES (?, ?, ?, ?)').run(sessionId, at, type, JSON.stringify(stored));
  }

  list(sessionId: string): LogEntry[] {
    const rows = statement(this.db, 'SELECT at, type, data FROM event_log WHERE session_id = ? ORDER BY id').all(sessionId) as {
      at: number;
      type: string;
      data: string;
    }[];
    return rows.flatMap((r) => readEntry(r) ?? []);
  }
}
