/** Feedback in the plenary: what this table brings to the room, and the result of the vote. */
import type { SessionView } from '../../shared/protocol';
import { rankTotals } from '../../shared/dots';
import { useI18n } from '../i18n/I18n';
import { ResultsTable } from '../components/ResultsTable';
import type { Tally } from '../../shared/protocol';

export function TableFeedback({ session, table, tally }: { session: SessionView; table: number; tally: Tally | null }) {
  const { t } = useI18n();
  const top = session.tops.find((x) => x.table === table);
  const vote = session.vote?.status === 'closed' ? session.vote : null;
  const ranked = vote && tally?.voteId === vote.id ? rankTotals(vote.items.map((i) => i.id), tally.totals) : [];
  const items = new Map(vote?.items.map((i) => [i.id, i]));
  return (
    <section aria-labelledby="feedback-title" className="feedback">
      <h2 id="feedback-title">{t.top.tableTop(table)}</h2>
      {top && top.points.length > 0 ? (
        <ol className="feedback__points">
          {top.points.map((p) => (
            <li key={p.id}>{p.text}</li>
          ))}
        </ol>
      ) : (
        <p>{t.top.none}</p>
      )}
      {vote && ranked.length > 0 && (
        <>
          <h2>{t.projector.results}</h2>
          <ResultsTable className="data-table" rows={ranked.map((r) => ({ ...r, text: items.get(r.id)!.text, table: items.get(r.id)!.table }))} />
        </>
      )}
    </section>
  );
}
