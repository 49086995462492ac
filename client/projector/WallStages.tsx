/**
 * The stages of the wall, each fitted to a screen that cannot scroll (see Fit). Texts are shown
 * whole: a point or a recommendation is never cut short, on a page of its own if need be.
 */
import type { ReactNode } from 'react';
import type { PlenaryBoard, ProjectorSettings, ResultRow, SessionView, TableBoard, Tally, VoteView } from '../../shared/protocol';
import { converging } from '../../shared/plenary';
import { scaleColors } from '../../shared/scale';
import { useMethodLabel } from '../components/voteLabels';
import { useI18n } from '../i18n/I18n';
import { Fit, type FitItem } from './Fit';
import type { VotePhase } from './stage';

interface Common {
  paging: ProjectorSettings['paging'];
  onPages?: (page: number, pages: number) => void;
}

function Heading({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <h3 className="wall__group">
      {text}
      <span className="wall__muted fit__continued"> {t.projector.continued}</span>
    </h3>
  );
}

/** A stage with its title, and a note instead of its list when there is nothing to show yet. */
function WallSection({ id, title, empty, children }: { id: string; title: string; empty: string | null; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="wall__stage">
      <h2 id={id} className="wall__subtitle">
        {title}
      </h2>
      {empty === null ? children : <p className="wall__note">{empty}</p>}
    </section>
  );
}

export function QuestionStage({ question, paging, onPages }: Common & { question: string }) {
  const { t } = useI18n();
  return (
    <WallSection id="stage-question" title={t.projector.question} empty={null}>
      <Fit items={[{ key: 'q', node: <p className="wall__question">{question}</p> }]} max={1.7} min={0.8} paging={paging} onPages={onPages} />
    </WallSection>
  );
}

export function TopsStage({ session, paging, onPages }: Common & { session: SessionView }) {
  const { t } = useI18n();
  const themeLabel = new Map(session.themes.map((th) => [th.id, th.label]));
  const rounds = new Map(session.agenda.rounds.map((r, i) => [r.id, r.title ?? t.run.round(i + 1)]));
  const tops = session.tops.filter((top) => top.points.length > 0);
  const several = new Set(tops.map((top) => top.round)).size > 1;
  const items: FitItem[] = tops.map((top) => ({
    key: `${top.round}:${top.table}`,
    group: several ? top.round : undefined,
    node: (
      <section className="wall__card" aria-label={t.top.tableTop(top.table)}>
        <h4>
          {t.top.tableTop(top.table)}
          {!top.chosen && <span className="wall__muted"> ({t.top.allPoints})</span>}
        </h4>
        <ol>
          {top.points.map((p) => (
            <li key={p.id}>
              {p.text} <span className="wall__tag">{themeLabel.get(p.theme)}</span>
            </li>
          ))}
        </ol>
      </section>
    ),
  }));
  return (
    <WallSection id="stage-tops" title={t.projector.feedback} empty={items.length === 0 ? t.top.none : null}>
      <Fit
        items={items}
        heading={(round) => <Heading text={rounds.get(round) ?? ''} />}
        columns={items.length > 4 ? 3 : items.length > 1 ? 2 : 1}
        max={1.2}
        min={0.72}
        paging={paging}
        onPages={onPages}
      />
    </WallSection>
  );
}

export function BoardStage({ session, board, paging, onPages }: Common & { session: SessionView; board: TableBoard }) {
  const { t } = useI18n();
  const themeLabel = new Map(session.themes.map((th) => [th.id, th.label]));
  const order = session.themes.map((th) => th.id);
  const points = [...board.points].sort((a, b) => order.indexOf(a.theme) - order.indexOf(b.theme));
  return (
    <WallSection id="stage-board" title={t.projectorControl.spotlightTable(board.table)} empty={points.length === 0 ? t.top.none : null}>
      <Fit
        items={points.map((p) => ({ key: p.id, group: p.theme, node: <p className="wall__point">{p.text}</p> }))}
        heading={(theme) => <Heading text={themeLabel.get(theme) ?? ''} />}
        columns={points.length > 3 ? 2 : 1}
        max={1.3}
        min={0.75}
        paging={paging}
        onPages={onPages}
      />
    </WallSection>
  );
}

export function PlenaryStage({ plenary, paging, onPages }: Common & { plenary: PlenaryBoard | null }) {
  const { t } = useI18n();
  const points = plenary?.points ?? [];
  const themes = plenary?.themes ?? [];
  const label = new Map(themes.map((th) => [th.id, th.label]));
  const order = themes.map((th) => th.id);
  const sorted = [...points].sort((a, b) => order.indexOf(a.theme) - order.indexOf(b.theme));
  return (
    <WallSection id="stage-plenary" title={t.plenary.title} empty={sorted.length === 0 ? t.plenary.empty : null}>
      <Fit
        items={sorted.map((p) => ({
          key: p.id,
          group: p.theme,
          node: (
            <p className="wall__point">
              {p.text}
              {(p.tables.length > 0 || p.count > 1) && (
                <span className="wall__tag">
                  {' '}
                  {p.tables.length > 0 && t.plenary.fromTables(p.tables)}
                  {p.count > 1 && ` · ${t.plenary.times(p.count)}`}
                </span>
              )}
            </p>
          ),
        }))}
        heading={(theme) => <Heading text={label.get(theme) ?? ''} />}
        columns={sorted.length > 6 ? 2 : 1}
        max={1.2}
        min={0.72}
        paging={paging}
        onPages={onPages}
      />
    </WallSection>
  );
}

/** What came up at several tables: the plenary points raised at two tables or more, most widely raised first. */
export function ConvergingStage({ plenary, tables, paging, onPages }: Common & { plenary: PlenaryBoard | null; tables: number }) {
  const { t } = useI18n();
  const points = converging(plenary?.points ?? []);
  return (
    <WallSection id="stage-converging" title={t.plenary.converging} empty={points.length === 0 ? t.plenary.convergingEmpty : null}>
      <Fit
        items={points.map((p) => ({
          key: p.id,
          node: (
            <p className="wall__point wall__point--numbered">
              <span className="wall__rank">{p.tables.length}</span>
              <span>
                {p.text}
                <span className="wall__tag"> {t.plenary.atTables(p.tables.length, tables)}</span>
              </span>
            </p>
          ),
        }))}
        columns={points.length > 6 ? 2 : 1}
        max={1.2}
        min={0.72}
        paging={paging}
        onPages={onPages}
      />
    </WallSection>
  );
}

interface VoteProps extends Common {
  vote: VoteView;
  phase: VotePhase;
  tally: Tally | null;
  reveal: number | null;
}

/** A vote on the wall: the items being voted on (blind), the live count, or the result, revealed item by item if asked. */
export function VoteStage({ vote, phase, tally, reveal, paging, onPages }: VoteProps) {
  const { t } = useI18n();
  const methodLabel = useMethodLabel();
  const current = tally?.voteId === vote.id ? tally : null;
  const title = phase === 'result' ? t.projector.results : phase === 'live' ? t.projector.live : t.projector.votingOn;
  return (
    <section aria-labelledby="stage-vote" className="wall__stage">
      <div className="wall__row">
        <h2 id="stage-vote" className="wall__subtitle">
          {title}
        </h2>
        {
          <p className="wall__turnout" aria-live="polite">
            {t.vote.turnout(current?.ballots ?? 0, current?.eligible ?? 0)}
          </p>
        }
      </div>
      <p className="wall__method">{methodLabel(vote)}</p>
      {phase === 'blind' && vote.blind && <p className="wall__method">{t.vote.blindHidden}</p>}
      {phase === 'blind' ? (
        <Fit
          items={vote.items.map((item, i) => ({ key: item.id, node: <BlindItem n={i + 1} text={item.text} /> }))}
          columns={vote.items.length > 8 ? 2 : 1}
          max={1.2}
          min={0.72}
          paging={paging}
          onPages={onPages}
        />
      ) : (
        <ResultRows vote={vote} tally={current} reveal={phase === 'result' ? reveal : null} paging={paging} onPages={onPages} />
      )}
    </section>
  );
}

function BlindItem({ n, text }: { n: number; text: string }) {
  return (
    <p className="wall__point wall__point--numbered">
      <span className="wall__rank">{n}</span>
      <span>{text}</span>
    </p>
  );
}

function ResultRows({ vote, tally, reveal, paging, onPages }: Common & { vote: VoteView; tally: Tally | null; reveal: number | null }) {
  const { t } = useI18n();
  const byId = new Map(vote.items.map((i) => [i.id, i]));
  const threshold = vote.rules.method === 'recommendations' || vote.rules.method === 'graded' ? vote.rules.threshold : null;
  const scale = vote.rules.method === 'graded' ? vote.rules.labels : null;
  const perTable = vote.source === 'table';
  const rows: { row: ResultRow; group?: string; withheld?: boolean }[] = perTable
    ? (tally?.tables ?? []).flatMap((tb) =>
        tb.withheld
          ? [{ row: { id: `withheld:${tb.table}`, rank: 0, tied: false, score: 0 }, group: String(tb.table), withheld: true }]
          : tb.results.map((row) => ({ row, group: String(tb.table) })),
      )
    : (tally?.results ?? []).map((row) => ({ row }));
  if (rows.length === 0) return <p className="wall__note">{t.vote.noBallots}</p>;
  // Bars compare with the best of all items, so they do not jump while items are revealed.
  const best = Math.max(1, ...rows.map((r) => r.row.score));
  const hidden = reveal === null ? 0 : Math.max(0, rows.length - reveal);
  const shown = rows.slice(hidden);
  return (
    <>
      {hidden > 0 && <p className="wall__note">{shown.length === 0 ? t.projector.revealSoon : t.projector.toReveal(hidden)}</p>}
      {scale && shown.length > 0 && <ScaleLegend labels={scale} />}
      {shown.length > 0 && (
        <Fit
          items={shown.map(({ row, group, withheld }) => ({
            key: row.id,
            group,
            node: withheld ? (
              <p className="wall__note">{t.vote.withheld}</p>
            ) : (
              <ResultBar row={row} text={byId.get(row.id)?.text ?? ''} best={best} threshold={threshold} scale={scale} />
            ),
          }))}
          heading={(table) => <Heading text={t.common.table(Number(table))} />}
          max={1.1}
          min={0.72}
          paging={paging}
          onPages={onPages}
        />
      )}
    </>
  );
}

/** The scale of a graded vote in its colours, once above the stacked bars. */
function ScaleLegend({ labels }: { labels: readonly string[] }) {
  const colors = scaleColors(labels.length);
  return (
    <ul className="wall-legend">
      {labels.map((label, i) => (
        <li key={i}>
          <span className="wall-legend__swatch" style={{ background: colors[i] }} aria-hidden="true" />
          {label}
        </li>
      ))}
    </ul>
  );
}

function ResultBar({
  row,
  text,
  best,
  threshold,
  scale,
}: {
  row: ResultRow;
  text: string;
  best: number;
  threshold: number | null;
  scale: readonly string[] | null;
}) {
  const { t } = useI18n();
  const recommendation = threshold !== null && scale === null;
  const pct = recommendation ? Math.max(0, row.supportPct ?? 0) : (row.score / best) * 100;
  const verdict = (adopted: boolean | undefined) => (adopted ? `✓ ${t.projector.adopted}` : t.projector.notAdopted);
  const share = (n: number) => (row.graders ? `${Math.round(n)} %` : '–');
  const value = scale
    ? `${share(row.acceptPct ?? 0)} · ${verdict(row.adopted)}`
    : recommendation
      ? `${row.supportPct == null ? '–' : `${Math.round(row.supportPct)} %`} · ${verdict(row.adopted)}`
      : `${row.score}${row.tied ? ` (${t.vote.tie})` : ''}`;
  return (
    <div className={`wall-result${row.rank === 1 ? ' wall-result--first' : ''}`}>
      <span className="wall__rank">{row.rank}</span>
      <div className="wall-result__body">
        <p className="wall-result__text">{text}</p>
        <div className="wall-result__line">
          <div className="wall-result__track">
            {scale ? (
              <StackedBar levels={row.levels ?? []} graders={row.graders ?? 0} />
            ) : (
              <div className="wall-result__bar" style={{ width: `${Math.max(1, pct)}%` }} />
            )}
            {threshold !== null && <div className="wall-result__threshold" style={{ left: `${threshold}%` }} />}
          </div>
          <strong className="wall-result__value">
            {value}
            {row.divided && <span className="wall-result__divided">{t.vote.divided}</span>}
          </strong>
        </div>
        {recommendation && <p className="wall-result__counts">{t.projector.counts(row.support ?? 0, row.oppose ?? 0, row.abstain ?? 0)}</p>}
        {(scale || typeof row.spread === 'number') && (
          <p className="wall-result__counts">
            {[
              ...(scale ? [t.projector.levels(scale.map((label, i) => ({ label, n: row.levels?.[i] ?? 0 })))] : []),
              ...(typeof row.spread === 'number' ? [t.projector.spread(row.spread)] : []),
            ].join(' · ')}
          </p>
        )}
      </div>
    </div>
  );
}

/** One bar split by the levels of the scale: each level's share of those who graded the item. */
function StackedBar({ levels, graders }: { levels: readonly number[]; graders: number }) {
  const colors = scaleColors(levels.length);
  if (graders === 0) return null;
  return (
    <div className="wall-result__stack">
      {levels.map((n, i) => (n > 0 ? <div key={i} style={{ width: `${(n * 100) / graders}%`, background: colors[i] }} /> : null))}
    </div>
  );
}
