/**
 * The report for the begeleidingsgroep: one model, from which every format is rendered.
 * `schemaVersion` changes whenever a field changes meaning or disappears, so archived JSON
 * reports can always be read back.
 */
import { z } from 'zod';
import { STEP_TYPES } from './agenda.js';
import { EVALUATION_QUESTIONS } from './evaluation.js';
import { gradedAndSpreadFields, Participation, SessionKind, TallyByTable, Theme, VoteMethod, VoteSource } from './protocol.js';
import { ReportEdits } from './reportEdits.js';

export const REPORT_SCHEMA_VERSION = 4;

export const ReportLanguage = z.enum(['nl', 'en']);
export type ReportLanguage = z.infer<typeof ReportLanguage>;

/** The files the report comes in; all are rendered from the same model. */
export const REPORT_FORMATS = ['docx', 'pdf', 'xlsx', 'html', 'md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The full report for the begeleidingsgroep, or the version for publication (Woo). */
export const ReportVersion = z.enum(['full', 'public']);
export type ReportVersion = z.infer<typeof ReportVersion>;

export const RunStatus = z.enum(['lobby', 'running', 'ended']);

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
export type ReportPoint = z.infer<typeof ReportPoint>;

export const ReportTheme = z.object({
  id: z.string(),
  label: z.string(),
  /** By table, then sub-theme (none first), then the table's own order. */
  points: z.array(ReportPoint),
});
export type ReportTheme = z.infer<typeof ReportTheme>;

export const ReportTop = z.object({
  table: z.number(),
  /** The table's own top 3 of the round, in its order; empty when it chose none. */
  points: z.array(z.object({ id: z.string(), theme: z.string(), text: z.string() })),
});
export type ReportTop = z.infer<typeof ReportTop>;

export const ReportRound = z.object({
  /** Agenda round id; null for points made outside any round the agenda still has. */
  id: z.string().nullable(),
  /** 1-based place in the agenda; null with `id`. */
  number: z.number().nullable(),
  title: z.string().nullable(),
  /** The round's own question, if it has one (else the session's applies). */
  question: z.string().nullable(),
  /** Session themes in order; '_overig' last when a point's theme no longer exists. */
  themes: z.array(ReportTheme),
  /** Points in the report for this round (a merged duplicate counts with its point, not apart). */
  points: z.number(),
  /** Points a table host hid: left out of the report, but counted so readers know. */
  hidden: z.number(),
  /** Per table that wrote points in this round. */
  tops: z.array(ReportTop),
});
export type ReportRound = z.infer<typeof ReportRound>;

export { VoteMethod, VoteSource };

/**
 * One item of a vote, best first. `score` is what the order is based on (dots, points, Borda
 * score, or support percentage); the other counters depend on the method.
 */
export const ReportVoteResult = z.object({
  itemId: z.string(),
  table: z.number().nullable(),
  theme: z.string().nullable(),
  text: z.string(),
  /** Competition rank: equal scores share a rank ("1224"). */
  rank: z.number(),
  tied: z.boolean(),
  score: z.number(),
  /** dots: dots on the item. */
  total: z.number().optional(),
  /** ranking: Borda score, and how many ballots ranked it first. */
  borda: z.number().optional(),
  firsts: z.number().optional(),
  /** points: points given to the item. */
  points: z.number().optional(),
  /** recommendations: stances, votes cast (support + oppose), support as a percentage of those. */
  support: z.number().optional(),
  oppose: z.number().optional(),
  abstain: z.number().optional(),
  cast: z.number().optional(),
  supportPct: z.number().nullable().optional(),
  /** recommendations and graded support: whether the item reached the threshold. */
  adopted: z.boolean().optional(),
  ...gradedAndSpreadFields,
});
export type ReportVoteResult = z.infer<typeof ReportVoteResult>;

export const ReportVote = z.object({
  id: z.string(),
  stepId: z.string().nullable(),
  /** Title of that step, if it has one, e.g. "Wat vinden we het belangrijkst?". */
  stepTitle: z.string().nullable(),
  /** Round of that step, 1-based; null when unknown. */
  round: z.number().nullable(),
  /** That round's title, e.g. "Plenair"; null when it has none. */
  roundTitle: z.string().nullable(),
  method: VoteMethod,
  source: VoteSource,
  rules: z.object({
    budget: z.number().optional(),
    maxPerItem: z.number().optional(),
    /** recommendations and graded: whole percentage needed for adoption. */
    threshold: z.number().optional(),
    /** graded: the scale's labels, best first, and how many of the first count as support. */
    labels: z.array(z.string()).optional(),
    accept: z.number().optional(),
  }),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  ballots: z.number(),
  /** Who could vote, as at closing (or now, while open). */
  eligible: z.number(),
  /** ballots / eligible as a whole percentage; null when nobody could vote. */
  turnout: z.number().nullable(),
  /**
   * Source 'table' only (else empty): each table voted on its own points, so results are ranked
   * per table, and a table where fewer than three voted has its results withheld: with one or
   * two voters, the result would tell what they chose.
   */
  tables: z.array(z.object({ table: z.number(), ballots: z.number(), withheld: z.boolean() })),
  /** Best first; for source 'table', table by table, without the withheld tables. */
  results: z.array(ReportVoteResult),
  /**
   * The result per table, for votes on points of several tables (schema 4), in the live tally's
   * shape but with every item's headline figure: only when every table where somebody voted had
   * at least three ballots ('few' otherwise); 'incomplete' after a restart or a failed commit
   * during the vote; 'none' for per-table votes and older records.
   */
  byTable: TallyByTable,
});
export type ReportVote = z.infer<typeof ReportVote>;

export const ReportRecommendation = z.object({
  voteId: z.string(),
  itemId: z.string(),
  text: z.string(),
  table: z.number().nullable(),
  support: z.number(),
  oppose: z.number(),
  abstain: z.number(),
  cast: z.number(),
  supportPct: z.number().nullable(),
  threshold: z.number().nullable(),
  adopted: z.boolean(),
});
export type ReportRecommendation = z.infer<typeof ReportRecommendation>;

export const ReportEvaluation = z.object({
  stepId: z.string(),
  responses: z.number(),
  questions: z.array(z.object({ id: z.enum(EVALUATION_QUESTIONS), counts: z.array(z.number()), answered: z.number(), average: z.number().nullable() })),
  remarks: z.array(z.string()),
});
export type ReportEvaluation = z.infer<typeof ReportEvaluation>;

export const TIMELINE_EVENTS = ['created', 'step', 'ended', 'voteOpened', 'voteClosed', 'timerExtended', 'agendaEdited', 'deviceMoved'] as const;

export const ReportTimelineEntry = z.object({
  at: z.string(),
  /** HH:MM in the server's time zone, so every format shows the same clock time. */
  time: z.string(),
  event: z.enum(TIMELINE_EVENTS),
  round: z.number().nullable(),
  stepType: z.enum(STEP_TYPES).nullable(),
  stepTitle: z.string().nullable(),
  /** For a step: whole minutes until the next step (or the end); null while it runs. */
  minutes: z.number().nullable(),
  /** timerExtended: seconds added. */
  seconds: z.number().optional(),
  /** deviceMoved: from which table to which; never which device. */
  fromTable: z.number().nullable().optional(),
  toTable: z.number().optional(),
  /** voteOpened / voteClosed. */
  method: VoteMethod.optional(),
  ballots: z.number().optional(),
});
export type ReportTimelineEntry = z.infer<typeof ReportTimelineEntry>;

/** The plenary board: what the room brought together from the tables, as the facilitator left it. */
export const ReportPlenary = z.object({
  themes: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      points: z.array(
        z.object({
          text: z.string(),
          /** Times the room wrote it: each harvested table point with its duplicates. */
          count: z.number(),
          /** The tables it came from; empty for a point written in the plenary itself. */
          tables: z.array(z.number()),
          merged: z.array(z.string()),
          cluster: z.string().nullable(),
        }),
      ),
    }),
  ),
  /** Points the facilitator hid on the plenary board (left out above). */
  hidden: z.number(),
});
export type ReportPlenary = z.infer<typeof ReportPlenary>;

/** One merge of duplicate points, for the process trail: where, in which step, and how it came about. */
export const ReportMerge = z.object({
  /** The table whose board it was on; null for the plenary list. */
  table: z.number().nullable(),
  /** On the plenary list: the table the duplicate came from. */
  fromTable: z.number().nullable(),
  point: z.string(),
  merged: z.string(),
  /** A suggestion accepted, or by hand; null for a merge made before Tafelronde kept this. */
  by: z.enum(['suggestion', 'hand']).nullable(),
  /** The agenda step in which it was merged, by type and title; null when not known. */
  step: z.object({ type: z.enum(STEP_TYPES), title: z.string().nullable() }).nullable(),
});
export type ReportMerge = z.infer<typeof ReportMerge>;

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
    place: z.string().nullable(),
    participation: Participation.nullable(),
    /** Who decides on the outcome, e.g. "de gemeenteraad". */
    decides: z.string().nullable(),
    /** A report made while the session runs is a preview. */
    status: RunStatus,
    themes: z.array(Theme),
  }),
  rounds: z.array(ReportRound),
  /** Null while nothing was brought to the plenary board. */
  plenary: ReportPlenary.nullable(),
  tables: z.array(
    z.object({
      table: z.number(),
      /** Devices seated at the table now. */
      devices: z.number(),
      /** Points in the report from this table, over all rounds. */
      points: z.number(),
    }),
  ),
  votes: z.array(ReportVote),
  recommendations: z.array(ReportRecommendation),
  /** Every merge of duplicates on the tables' boards and the plenary list (schema 4). */
  merges: z.array(ReportMerge),
  evaluations: z.array(ReportEvaluation),
  /** Tips and actions the organiser typed in the report page. */
  notes: z.array(z.string()),
  /** The organiser's edits for the main text; everything above stays as it was recorded. */
  edits: ReportEdits,
  process: z.object({
    timeline: z.array(ReportTimelineEntry),
    /** Voting methods used, in order of first use. */
    methods: z.array(VoteMethod),
  }),
  totals: z.object({
    points: z.number(),
    devices: z.number(),
    ballots: z.number(),
  }),
});
export type Report = z.infer<typeof Report>;

/** Points under a theme the session no longer has are reported under this one. */
export const OTHER_THEME = { id: '_overig', label: 'Overig' };
