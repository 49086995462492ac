/**
 * The organiser's edits to the report before it is sent on: an introduction and a summary,
 * points reworded or left out of the main text, themes renamed, themes and points put in
 * order, and the organisation's name for the title page. The record itself never changes:
 * every original stays in the appendix, and the appendix lists what was edited (not by whom).
 */
import { z } from 'zod';

export const REPORT_EDIT_LIMITS = {
  organisationLength: 120,
  /** Introduction and summary: a few paragraphs each. */
  textLength: 5000,
  themeLabelLength: 60,
  pointTextLength: 500,
  /** Points edited or ordered; the 2,000-point evening fits with room to spare. */
  points: 5000,
  themes: 13,
} as const;

/** A point in the report: its table and its id on that table's board, e.g. "3-Vb1x…". */
export const ReportPointKey = z.string().regex(/^\d{1,2}-[A-Za-z0-9_-]{1,40}$/, 'not a point of the report');
/** A session theme, or the catch-all for points whose theme was removed. */
export const ReportThemeKey = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'not a theme');

const text = (max: number) =>
  z
    .string()
    .max(max)
    .transform((s) => s.replace(/\r\n?/g, '\n').trim());
const line = (max: number) => z.string().trim().min(1).max(max);

const PointEdit = z
  .object({
    /** The point as the report says it; the original stays in the appendix. */
    text: line(REPORT_EDIT_LIMITS.pointTextLength).optional(),
    /** Left out of the main text (still in the appendix). */
    omit: z.literal(true).optional(),
  })
  .strict();

const limitedRecord = <V extends z.ZodType>(key: z.ZodString, value: V, max: number, what: string) =>
  z.record(key, value).refine((r) => Object.keys(r).length <= max, `at most ${max} ${what}`);

export const ReportEdits = z
  .object({
    organisation: text(REPORT_EDIT_LIMITS.organisationLength).default(''),
    introduction: text(REPORT_EDIT_LIMITS.textLength).default(''),
    summary: text(REPORT_EDIT_LIMITS.textLength).default(''),
    /** Themes in the order the report lists them; themes not named follow in their own order. */
    themeOrder: z.array(ReportThemeKey).max(REPORT_EDIT_LIMITS.themes).default([]),
    /** Theme → the name the report uses for it. */
    themeLabels: limitedRecord(ReportThemeKey, line(REPORT_EDIT_LIMITS.themeLabelLength), REPORT_EDIT_LIMITS.themes, 'themes').default({}),
    /** Point → how the report shows it. */
    points: limitedRecord(ReportPointKey, PointEdit, REPORT_EDIT_LIMITS.points, 'points').default({}),
    /** Theme → its points in the order the report lists them; points not named follow. */
    pointOrder: limitedRecord(ReportThemeKey, z.array(ReportPointKey).max(REPORT_EDIT_LIMITS.points), REPORT_EDIT_LIMITS.themes, 'themes').default({}),
  })
  .strict();
export type ReportEdits = z.infer<typeof ReportEdits>;
/** What `PUT /api/sessions/:id/report/edits` takes: the whole set, replacing the saved one. */
export type ReportEditsBody = z.input<typeof ReportEdits>;

export const NO_EDITS: ReportEdits = ReportEdits.parse({});

/** Places `keys` in the order `order` gives, the rest after them in their own order. */
export function ordered<T>(items: readonly T[], key: (item: T) => string, order: readonly string[] | undefined): T[] {
  if (!order || order.length === 0) return [...items];
  const place = new Map(order.map((k, i) => [k, i]));
  const rank = (item: T) => place.get(key(item)) ?? order.length;
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.i - b.i)
    .map((x) => x.item);
}

/** True when the organiser changed anything at all. */
export function hasEdits(e: ReportEdits): boolean {
  return (
    e.organisation !== '' ||
    e.introduction !== '' ||
    e.summary !== '' ||
    e.themeOrder.length > 0 ||
    Object.keys(e.themeLabels).length > 0 ||
    Object.keys(e.points).length > 0 ||
    Object.keys(e.pointOrder).length > 0
  );
}
