/** How a vote's method and subject are named on every screen, so a result is never shown without its method. */
import type { VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';

export function useMethodLabel(): (vote: Pick<VoteView, 'rules' | 'source' | 'blind'>) => string {
  const { t } = useI18n();
  return (vote) => {
    const r = vote.rules;
    const method =
      r.method === 'dots'
        ? t.vote.methods.dots(r.budget, r.maxPerItem)
        : r.method === 'points'
          ? t.vote.methods.points(r.budget)
          : r.method === 'recommendations'
            ? t.vote.methods.recommendations(r.threshold)
            : r.method === 'graded'
              ? t.vote.methods.graded(r.labels, r.accept, r.threshold)
              : t.vote.methods.ranking;
    return `${method} · ${t.vote.sources[vote.source]}${vote.blind ? ` · ${t.vote.blind}` : ''}`;
  };
}
