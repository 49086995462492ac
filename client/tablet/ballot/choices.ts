/**
 * What every ballot screen shares: empty choices per method, whether anything was chosen, the
 * items a tablet votes on, and how they are grouped by theme.
 */
import type { Theme, VoteItem, VoteMethod, VoteView } from '../../../shared/protocol';
import type { BallotChoices } from '../../lib/storage';

export type ChoicesOf<M extends VoteMethod> = Extract<BallotChoices, { method: M }>;
export type RulesOf<M extends VoteMethod> = Extract<VoteView['rules'], { method: M }>;

export function emptyChoices(method: VoteMethod): BallotChoices {
  switch (method) {
    case 'dots':
      return { method, dots: {} };
    case 'ranking':
      return { method, ranking: [] };
    case 'points':
      return { method, points: {} };
    case 'recommendations':
      return { method, stances: {} };
    case 'graded':
      return { method, grades: {} };
  }
}

/** Kept choices only count for the vote's own method; anything else starts empty. */
export function choicesFor(method: VoteMethod, kept: BallotChoices | null | undefined): BallotChoices {
  return kept && kept.method === method ? kept : emptyChoices(method);
}

export function isBlank(choices: BallotChoices): boolean {
  switch (choices.method) {
    case 'dots':
      return Object.values(choices.dots).every((n) => n === 0);
    case 'points':
      return Object.values(choices.points).every((n) => n === 0);
    case 'ranking':
      return choices.ranking.length === 0;
    case 'recommendations':
      return Object.keys(choices.stances).length === 0;
    case 'graded':
      return Object.keys(choices.grades).length === 0;
  }
}

/** The one field of the ballot payload that carries the choices. */
/** When each table votes on its own points, a tablet shows only its table's items (the server refuses others). */
export function itemsFor(vote: VoteView, table: number | null): VoteItem[] {
  return vote.source === 'table' ? vote.items.filter((i) => i.table === table) : vote.items;
}

export interface ItemGroup {
  id: string;
  /** Null when no item has a theme (recommendations): the items then need no heading. */
  label: string | null;
  items: VoteItem[];
}

/**
 * Items under their theme: the session's themes first, then the plenary board's own themes
 * (plenary items may carry those), then the rest under "Overig".
 */
export function groupByTheme(items: VoteItem[], themes: Theme[], otherLabel: string): ItemGroup[] {
  if (items.every((i) => i.theme === null)) return [{ id: '_all', label: null, items }];
  const known = new Set(themes.map((th) => th.id));
  return themes
    .map((th) => ({ id: th.id, label: th.label, items: items.filter((i) => i.theme === th.id) }))
    .concat([{ id: '_other', label: otherLabel, items: items.filter((i) => i.theme === null || !known.has(i.theme)) }])
    .filter((g) => g.items.length > 0);
}

/** Session themes, then plenary themes the session does not have, without doubles. */
export function mergeThemes(sessionThemes: Theme[], plenaryThemes: Theme[]): Theme[] {
  const ids = new Set(sessionThemes.map((th) => th.id));
  return sessionThemes.concat(plenaryThemes.filter((th) => !ids.has(th.id)));
}
