/**
 * Limits that both sides need to know, in one place: the server refuses what goes past them,
 * the screens do not offer it, and counting (shared/tally.ts) bounds a ballot by them.
 */
export const LIMITS = {
  titleLength: 200,
  questionLength: 1000,
  placeLength: 120,
  decidesLength: 300,
  themes: 12,
  themeLabelLength: 60,
  tables: 60,
  pointTextLength: 500,
  pointsPerTable: 300,
  dotBudgetMax: 20,
  pointsBudgetMax: 1000,
  /** Most items one ballot can name; also the longest ranking. */
  ballotItems: 200,
  /** Item, vote and point ids on the wire. */
  idLength: 64,
  recommendations: 40,
  /** Levels of a graded-support scale, and the length of one level's label. */
  gradeLevels: 7,
  gradeLabelLength: 40,
  recommendationLength: 300,
  /** Seats per table for a shared tablet (doorgeefstand). */
  seatsPerTable: 20,
  rounds: 10,
  stepsPerRound: 20,
  stepTitleLength: 120,
  stepDurationSec: 4 * 3600,
} as const;
