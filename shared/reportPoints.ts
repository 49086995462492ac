/**
 * The main text's points: per theme one list over all tables and rounds, a point that several
 * tables (or rounds) made listed once, as seed report 001 does. Two points are "the same" when
 * their words are (ignoring case, accents and punctuation), or when the room merged them on the
 * plenary board. The organiser's edits (reword, leave out, order, rename) are applied here, so
 * every format and the report page get the same lists.
 */
import { OTHER_THEME, type Report } from './report.js';
import { ordered } from './reportEdits.js';

export interface MainPoint {
  /** The key of the group's first point ("table-id"); edits may name any member. */
  key: string;
  /** As the report says it: reworded if the organiser did. */
  text: string;
  /** As the first table wrote it. */
  original: string;
  reworded: boolean;
  omitted: boolean;
  /** Tables that raised it, ascending. */
  tables: number[];
  /** Times written, merged duplicates included. */
  count: number;
  /** Keys of every point in the group, first first. */
  members: string[];
}

export interface MainTheme {
  id: string;
  /** As the report names it (renamed if the organiser did). */
  label: string;
  original: string;
  /** Every group, the omitted ones included (flagged); in the report's order. */
  points: MainPoint[];
}

export const pointKey = (table: number, id: string): string => `${table}-${id}`;

/** Words only: "Vooraf meedenken (vanuit beide kanten." equals "…kanten)". */
export function sameText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function themeName(report: Report, id: string, fallback: string): string {
  return report.edits.themeLabels[id] ?? fallback;
}

/** The session's themes (and "Overig" when points need it) in the report's order, renamed. */
export function reportThemes(report: Report, otherLabel: string): { id: string; label: string; original: string }[] {
  const edits = report.edits;
  const used = report.rounds.some((r) => r.themes.some((th) => th.id === OTHER_THEME.id && th.points.length > 0));
  const themes = [...report.session.themes.map((th) => ({ id: th.id, original: th.label })), ...(used ? [{ id: OTHER_THEME.id, original: otherLabel }] : [])];
  return ordered(themes, (th) => th.id, edits.themeOrder).map((th) => ({ ...th, label: edits.themeLabels[th.id] ?? th.original }));
}

export function mainThemes(report: Report, otherLabel: string): MainTheme[] {
  const edits = report.edits;
  // Texts the room merged on the plenary board count as one.
  const alias = new Map<string, string>();
  for (const theme of report.plenary?.themes ?? []) {
    for (const p of theme.points) {
      const head = sameText(p.text);
      for (const m of p.merged) if (!alias.has(sameText(m))) alias.set(sameText(m), head);
    }
  }
  const canonical = (text: string) => alias.get(sameText(text)) ?? sameText(text);

  return reportThemes(report, otherLabel).map((theme) => {
    const groups = new Map<string, MainPoint>();
    for (const round of report.rounds) {
      for (const p of round.themes.find((th) => th.id === theme.id)?.points ?? []) {
        const key = pointKey(p.table, p.id);
        const same = canonical(p.text);
        const group = groups.get(same);
        if (group) {
          group.members.push(key);
          group.count += p.count;
          if (!group.tables.includes(p.table)) group.tables = [...group.tables, p.table].sort((a, b) => a - b);
        } else {
          groups.set(same, { key, text: p.text, original: p.text, reworded: false, omitted: false, tables: [p.table], count: p.count, members: [key] });
        }
      }
    }
    const points = [...groups.values()].map((g) => {
      const edit = g.members.map((k) => edits.points[k]).find((e) => e !== undefined);
      const text = edit?.text && edit.text !== g.original ? edit.text : g.original;
      return { ...g, text, reworded: text !== g.original, omitted: edit?.omit === true };
    });
    const order = edits.pointOrder[theme.id];
    const place = new Map((order ?? []).map((k, i) => [k, i]));
    const rank = (g: MainPoint) => Math.min(...g.members.map((k) => place.get(k) ?? Infinity));
    const sorted = order
      ? points
          .map((g, i) => ({ g, i, r: rank(g) }))
          .sort((a, b) => a.r - b.r || a.i - b.i)
          .map((x) => x.g)
      : points;
    return { id: theme.id, label: theme.label, original: theme.original, points: sorted };
  });
}

/** Each point of the main text's groups, by its key: what the main text did with a point as written. */
export function groupsByPoint(main: MainTheme[]): Map<string, MainPoint> {
  return new Map(main.flatMap((th) => th.points.flatMap((g) => g.members.map((k) => [k, g] as const))));
}
