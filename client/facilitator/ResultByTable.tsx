/**
 * How each table voted, for the facilitator: the items chosen at all, in the result's order,
 * against the tables. The server sends it only when every table where somebody voted has at
 * least three ballots, and says why when it does not.
 */
import { BREAKDOWN_ITEMS, type Tally, type VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';

export function ResultByTable({ vote, tally }: { vote: VoteView; tally: Tally | null }) {
  const { t } = useI18n();
  const b = tally?.voteId === vote.id ? tally.byTable : null;
  if (!b || b.status === 'none') return null;
  if (b.status === 'withheld') return <p className="field__hint">{t.vote.byTableWithheld[b.reason]}</p>;
  const texts = new Map(vote.items.map((i) => [i.id, i.text]));
  const percent = vote.method === 'recommendations' || vote.method === 'graded';
  // The server sends the whole result's first items per table (the report has them all).
  const order = (tally?.results ?? []).slice(0, BREAKDOWN_ITEMS).filter((r) => r.score > 0 || percent);
  const figure = (table: (typeof b.tables)[number], id: string) => {
    const v = Object.hasOwn(table.scores, id) ? table.scores[id] : null;
    return v === null || v === undefined ? '–' : percent ? `${Math.round(v)} %` : String(v);
  };
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption>{t.vote.byTable}</caption>
        <thead>
          <tr>
            <th scope="col">{t.vote.point}</th>
            {b.tables.map((tb) => (
              <th key={tb.table} scope="col">
                {t.common.table(tb.table)} <span className="field__hint">({t.vote.ballots(tb.ballots)})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {order.map((r) => (
            <tr key={r.id}>
              <th scope="row">{texts.get(r.id)}</th>
              {b.tables.map((tb) => (
                <td key={tb.table}>{figure(tb, r.id)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
