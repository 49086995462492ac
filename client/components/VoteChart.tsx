/**
 * A vote's results as horizontal bar charts (recharts), labelled with the method. The chart is
 * for the eye; the same numbers are in a table for screen readers, so the picture is never the
 * only source. Blind votes show nothing until they close; votes per table show each table,
 * except those with too few voters to keep their ballots secret.
 */
import { Bar, BarChart, LabelList, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ResultRow, Tally, VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { ResultsTable, type ResultLine } from './ResultsTable';
import { useMethodLabel } from './voteLabels';
import { scaleColors } from '../../shared/scale';

interface Props {
  vote: VoteView;
  tally: Tally | null;
  /** Show only the best N items (the projector has room for about ten). */
  limit?: number;
  size?: 'normal' | 'large';
  colors?: { bar: string; text: string };
}

/** What recharts hands a label's `content`. */
interface LabelProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  height?: number | string;
  value?: unknown;
  index?: number;
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

export function VoteChart({ vote, tally, limit, size = 'normal', colors = { bar: '#0b5cad', text: '#1a1a1a' } }: Props) {
  const { t } = useI18n();
  const methodLabel = useMethodLabel();
  const current = tally?.voteId === vote.id ? tally : null;
  const byId = new Map(vote.items.map((i) => [i.id, i]));
  const lines = (rows: ResultRow[]): ResultLine[] => rows.map((r) => ({ ...r, text: byId.get(r.id)?.text ?? '', table: byId.get(r.id)?.table ?? null }));

  let body;
  if (current?.hidden) {
    body = <p className="vote-chart__note">{t.vote.blindHidden}</p>;
  } else if (vote.source === 'table') {
    body = (
      <div className="vote-chart__tables">
        {(current?.tables ?? []).map((tb) => (
          <section key={tb.table} aria-label={t.common.table(tb.table)}>
            <h3>
              {t.common.table(tb.table)} <span className="vote-chart__count">({t.vote.ballots(tb.ballots)})</span>
            </h3>
            {tb.withheld ? (
              <p className="vote-chart__note">{t.vote.withheld}</p>
            ) : (
              <Bars vote={vote} rows={lines(tb.results).slice(0, limit ?? 3)} size={size} colors={colors} />
            )}
          </section>
        ))}
      </div>
    );
  } else {
    const rows = lines(current?.results ?? []);
    body = <Bars vote={vote} rows={limit ? rows.slice(0, limit) : rows} size={size} colors={colors} />;
  }
  return (
    <figure className={`vote-chart vote-chart--${size}`}>
      <figcaption className="vote-chart__method">{methodLabel(vote)}</figcaption>
      {body}
    </figure>
  );
}

function Bars({ vote, rows, size, colors }: { vote: VoteView; rows: ResultLine[]; size: 'normal' | 'large'; colors: { bar: string; text: string } }) {
  const { t } = useI18n();
  const scale = vote.rules.method === 'graded' ? vote.rules.labels : null;
  const recommendations = vote.rules.method === 'recommendations' || scale !== null;
  const threshold = vote.rules.method === 'recommendations' || vote.rules.method === 'graded' ? vote.rules.threshold : null;
  const colorsOfScale = scale ? scaleColors(scale.length) : [];
  const divided = (r: ResultLine) => (r.divided ? ` · ${t.vote.divided}` : '');
  const data = rows.map((r) => ({
    ...r,
    value: scale ? (r.graders ? 100 : 0) : recommendations ? Math.max(0, r.supportPct ?? 0) : r.score,
    // Graded support: each level's share of those who graded the item, stacked.
    ...Object.fromEntries((scale ?? []).map((_, i) => [`level${i}`, r.graders ? ((r.levels?.[i] ?? 0) * 100) / r.graders : 0])),
    label: shorten(r.text, size === 'large' ? 70 : 80),
    shown: scale
      ? `${r.acceptPct == null ? '–' : `${Math.round(r.acceptPct)} %`}${r.adopted ? ` ✓ ${t.vote.adoptedShort}` : ''}${divided(r)}`
      : recommendations
        ? `${r.supportPct == null ? '–' : `${Math.round(r.supportPct)} %`}${r.adopted ? ` ✓ ${t.vote.adoptedShort}` : ''}`
        : `${r.score}${r.tied ? ` (${t.vote.tie})` : ''}${divided(r)}`,
  }));
  const large = size === 'large';
  const fontSize = large ? 34 : 15;
  // Room after the bars for the longest value ("100 % ✓ aangenomen · verdeeld"), so none is cut off.
  const longest = Math.max(0, ...data.map((d) => d.shown.length));
  const valueRoom = Math.max(3 * fontSize, Math.ceil(longest * fontSize * 0.7) + 16);
  const barSize = large ? 30 : 18;
  // Each row: the item's text above its bar, so long texts get the full width.
  const rowHeight = barSize + fontSize * 1.5 + (large ? 18 : 10);
  /** A row's last level with votes; the value goes after its segment. */
  const lastLevel = (index: number | undefined) => {
    const levels = index === undefined ? [] : (rows[index]?.levels ?? []);
    for (let l = levels.length - 1; l >= 0; l--) if ((levels[l] ?? 0) > 0) return l;
    return levels.length - 1;
  };
  const renderValue = (props: LabelProps) => (
    <text
      x={Number(props.x) + Number(props.width ?? 0) + 6}
      y={Number(props.y) + Number(props.height ?? 0) / 2}
      dominantBaseline="central"
      fill={colors.text}
      fontSize={fontSize}
      fontWeight={700}
    >
      {typeof props.value === 'string' ? props.value : ''}
    </text>
  );
  /** A row's first level with votes; its segment carries the row's text. */
  const firstLevel = (index: number | undefined) => {
    const row = index === undefined ? undefined : rows[index];
    const found = (row?.levels ?? []).findIndex((n) => n > 0);
    return found < 0 ? 0 : found;
  };
  const renderText = (props: { x?: number | string; y?: number | string; value?: unknown }) => (
    <text x={Number(props.x)} y={Number(props.y) - 8} fill={colors.text} fontSize={fontSize} textAnchor="start">
      {typeof props.value === 'string' || typeof props.value === 'number' ? props.value : ''}
    </text>
  );
  if (rows.length === 0) return <p className="vote-chart__note">{t.vote.noBallots}</p>;
  return (
    <>
      {scale && (
        <ul className="wall-legend" aria-hidden="true">
          {scale.map((label, i) => (
            <li key={i}>
              <span className="wall-legend__swatch" style={{ background: colorsOfScale[i] }} />
              {label}
            </li>
          ))}
        </ul>
      )}
      <div aria-hidden="true" style={{ height: rows.length * rowHeight + 8 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={data}
            layout="vertical"
            margin={{ top: fontSize + 8, right: valueRoom, bottom: 0, left: 0 }}
            barCategoryGap={fontSize + 12}
            accessibilityLayer={false}
          >
            <XAxis type="number" hide allowDecimals={false} domain={recommendations ? [0, 100] : [0, (max: number) => Math.max(1, max)]} />
            <YAxis type="category" dataKey="id" hide />
            {threshold !== null && <ReferenceLine x={threshold} stroke={colors.text} strokeDasharray="6 4" />}
            {scale ? (
              scale.map((_, i) => (
                <Bar key={i} dataKey={`level${i}`} stackId="scale" fill={colorsOfScale[i]} barSize={barSize} isAnimationActive animationDuration={300}>
                  {/* The text goes above the bar's first visible segment: an empty one draws no label. */}
                  <LabelList dataKey="label" content={(props: LabelProps) => (firstLevel(props.index) === i ? renderText(props) : null)} />
                  <LabelList dataKey="shown" content={(props: LabelProps) => (lastLevel(props.index) === i ? renderValue(props) : null)} />
                </Bar>
              ))
            ) : (
              <Bar dataKey="value" fill={colors.bar} radius={[0, 6, 6, 0]} barSize={barSize} minPointSize={4} isAnimationActive animationDuration={300}>
                <LabelList dataKey="label" content={renderText} />
                <LabelList dataKey="shown" position="right" fill={colors.text} fontSize={fontSize} fontWeight={700} />
              </Bar>
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      {/* A table ignores the 1 px height of .sr-only and would make the page taller; a div does not. */}
      <div className="sr-only">
        <ResultsTable rows={rows} method={vote.method} labels={vote.rules.method === 'graded' ? vote.rules.labels : []} />
      </div>
    </>
  );
}

export function Turnout({ tally, voteId }: { tally: Tally | null; voteId: string }) {
  const { t } = useI18n();
  const current = tally?.voteId === voteId ? tally : null;
  return (
    <p className="turnout" aria-live="polite">
      {t.vote.turnout(current?.ballots ?? 0, current?.eligible ?? 0)}
    </p>
  );
}
