/**
 * The report for the begeleidingsgroep: one model, from which every format is rendered.
 * `schemaVersion` changes whenever a field changes meaning or disappears, so archived JSON
 * reports can always be read back.
 */
import { z } from 'zod';
import { EVALUATION_QUESTIONS } from './evaluation.js';
import { SessionKind } from './protocol.js';

export const REPORT_SCHEMA_VERSION = 1;

export const ReportLanguage = z.enum(['nl', 'en']);
export type ReportLanguage = z.infer<typeof ReportLanguage>;

export const ReportPoint = z.object({
  id: z.string(),
  table: z.number(),
  text: z.string(),
  /** How often the table wrote this point: 1, plus the duplicates merged into it. */
  count: z.number(),
  /** The texts of those duplicates, as they were written. */
  merged: z.array(z.string()),
  /** The sub-theme the table put it in, if any. */
  cluster: z.string().nullable(),
});

export const ReportVoteResult = z.object({
  itemId: z.string(),
  table: z.number(),
  theme: z.string(),
  text: z.string(),
  total: z.number(),
  rank: z.number(),
  tied: z.boolean(),
});

export const ReportVote = z.object({
  id: z.string(),
  method: z.literal('dots'),
  status: z.enum(['open', 'closed']),
  budget: z.number(),
  maxPerItem: z.number(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  ballots: z.number(),
  /** Devices that had joined a table when the vote was last counted. */
  eligible: z.number(),
  dotsCast: z.number(),
  results: z.array(ReportVoteResult),
});
export type ReportVote = z.infer<typeof ReportVote>;

export const ReportEvaluation = z.object({
  stepId: z.string(),
  responses: z.number(),
  questions: z.array(z.object({ id: z.enum(EVALUATION_QUESTIONS), counts: z.array(z.number()), answered: z.number(), average: z.number().nullable() })),
  remarks: z.array(z.string()),
});

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  generatedAt: z.string(),
  session: z.object({
    id: z.string(),
    kind: SessionKind,
    title: z.string(),
    question: z.string(),
    /** The day the session was created, as YYYY-MM-DD in the server's time zone. */
    date: z.string(),
  }),
  themes: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      points: z.array(ReportPoint),
    }),
  ),
  tables: z.array(
    z.object({
      table: z.number(),
      devices: z.number(),
      points: z.number(),
    }),
  ),
  votes: z.array(ReportVote),
  evaluations: z.array(ReportEvaluation),
  totals: z.object({
    points: z.number(),
    devices: z.number(),
    ballots: z.number(),
  }),
});
export type Report = z.infer<typeof Report>;
