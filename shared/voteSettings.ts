/**
 * From a vote step's settings (and the facilitator's changes when opening) to the rules the
 * server counts with. Whatever is left out takes the method's default, so a step needs no more
 * than `{ method }`.
 */
import type { SessionKind, VoteSettings, VoteSource } from './protocol.js';
import type { VoteRules } from './tally.js';

export const VOTE_DEFAULTS = {
  dotBudget: 3,
  pointsBudget: 100,
  threshold: 70,
  /** The consent scale common in Dutch deliberation; the first two count as support. */
  gradedLabels: ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'],
  gradedAccept: 2,
  gradedThreshold: 80,
} as const;

export interface ResolvedVote {
  rules: VoteRules;
  source: VoteSource;
  blind: boolean;
  /** The typed recommendations, when that is the source. */
  recommendations: string[];
}

export function resolveVote(settings: Partial<VoteSettings>, kind: SessionKind): ResolvedVote {
  const method = settings.method ?? 'dots';
  let rules: VoteRules;
  switch (method) {
    case 'dots': {
      const budget = Math.min(settings.budget ?? VOTE_DEFAULTS.dotBudget, 20);
      rules = { method, budget, maxPerItem: Math.min(budget, settings.maxPerItem ?? budget) };
      break;
    }
    case 'points':
      rules = { method, budget: settings.budget ?? VOTE_DEFAULTS.pointsBudget };
      break;
    case 'ranking':
      rules = { method };
      break;
    case 'recommendations':
      rules = { method, threshold: settings.threshold ?? VOTE_DEFAULTS.threshold };
      break;
    case 'graded': {
      const labels = settings.labels ?? [...VOTE_DEFAULTS.gradedLabels];
      // Fewer labels given when opening take the number of supporting levels down with them.
      const accept = Math.min(settings.accept ?? VOTE_DEFAULTS.gradedAccept, labels.length - 1);
      rules = { method, labels, accept, threshold: settings.threshold ?? VOTE_DEFAULTS.gradedThreshold };
      break;
    }
  }
  return {
    rules,
    source: settings.source ?? (settings.recommendations ? 'recommendations' : 'tables'),
    // A citizens' assembly votes blind unless the step says otherwise: nobody follows the crowd.
    blind: settings.blind ?? kind === 'burgerberaad',
    recommendations: settings.recommendations ?? [],
  };
}

/** Settings from the step, overridden field by field by what the facilitator chose when opening. */
export function mergeVoteSettings(step: Partial<VoteSettings> | undefined, opening: Partial<VoteSettings>): Partial<VoteSettings> {
  const merged: Partial<VoteSettings> = { ...(step ?? {}) };
  // A different method starts from that method's defaults, not the step's budget for another one.
  if (opening.method && opening.method !== merged.method) {
    delete merged.budget;
    delete merged.maxPerItem;
    delete merged.threshold;
    delete merged.labels;
    delete merged.accept;
  }
  for (const [k, v] of Object.entries(opening)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  // A smaller budget given when opening takes the step's per-item limit down with it.
  if (opening.budget !== undefined && opening.maxPerItem === undefined && merged.maxPerItem !== undefined) {
    merged.maxPerItem = Math.min(merged.maxPerItem, opening.budget);
  }
  // Likewise a shorter scale takes the step's number of supporting levels down with it.
  if (opening.labels !== undefined && opening.accept === undefined && merged.accept !== undefined) {
    merged.accept = Math.max(1, Math.min(merged.accept, opening.labels.length - 1));
  }
  return merged;
}
