/** Feedback in the plenary: what this table brings to the room, and the result of the vote. */
import type { ResultRow, SessionView, Tally } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { ResultsTable } from '../components/ResultsTable';
import { useMethodLabel } from '../components/voteLabels';

export function TableFeedback({ session, table, tally }: { session: SessionView; table: number; tally: Tally | null }) {
  const { t } = useI18n();
  const methodLabel = useMethodLabel();
  const tops = session.tops.filter((x) => x.table === table && x.points.length > 0);
  const roundTitle = (id: string) => {
    const i = session.agenda.rounds.findIndex((r) => r.id === id);
    return session.agenda.rounds[i]?.title ?? t.run.round(i + 1);
  };
  const vote = session.vote?.status === 'closed' ? session.vote : null;
  const current = vote && tally?.voteId === vote.id ? tally : null;
  // A vote per table: this table's own result (withheld below three voters); otherwise the room's.
  const mine = current?.tables.find((x) => x.table === table);
  const rows: ResultRow[] = vote?.source === 'table' ? (mine?.results ?? []) : (current?.results ?? []);
  const items = new Map(vote?.items.map((i) => [i.id, i]));
  return (
    <section aria-labelledby="feedback-title" className="feedback">
      <h2 id="feedback-title">{t.top.tableTop(table)}</h2>
      {tops.length === 0 ? (
        <p>{t.top.none}</p>
      ) : (
        tops.map((top) => (
          <section key={top.round} aria-label={roundTitle(top.round)}>
            {tops.length > 1 && <h3>{roundTitle(top.round)}</h3>}
            <ol className="feedback__points">
              {top.points.map((p) => (
                <li key={p.id}>{p.text}</li>
              ))}
            </ol>
          </section>
        ))
      )}
      {vote && current && (
        <>
          <h2>{t.projector.results}</h2>
          <p>{methodLabel(vote)}</p>
          {mine?.withheld ? (
            <p>{t.vote.withheld}</p>
          ) : (
            rows.length > 0 && (
              <ResultsTable
                className="data-table"
                method={vote.method}
                labels={vote.rules.method === 'graded' ? vote.rules.labels : []}
                rows={rows.map((r) => ({ ...r, text: items.get(r.id)?.text ?? '', table: items.get(r.id)?.table ?? null }))}
              />
            )
          )}
        </>
      )}
    </section>
  );
}
