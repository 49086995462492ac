/**
 * Live dot-vote results as a horizontal bar chart (recharts). The chart is for the eye; the
 * same numbers are in a table for screen readers, so the picture is never the only source.
 */
import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { rankTotals } from '../../shared/dots';
import type { Tally, VoteView } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { ResultsTable } from './ResultsTable';

interface Props {
  vote: VoteView;
  tally: Tally | null;
  /** Show only the best N points (the projector has room for about ten). */
  limit?: number;
  size?: 'normal' | 'large';
  colors?: { bar: string; text: string };
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

export function VoteChart({ vote, tally, limit, size = 'normal', colors = { bar: '#0b5cad', text: '#1a1a1a' } }: Props) {
  const { t } = useI18n();
  const totals = tally?.voteId === vote.id ? tally.totals : {};
  const ranked = rankTotals(vote.items.map((i) => i.id), totals);
  const byId = new Map(vote.items.map((i) => [i.id, i]));
  const shown = (limit ? ranked.slice(0, limit) : ranked).map((r) => {
    const item = byId.get(r.id)!;
    return { ...r, text: item.text, table: item.table, label: shorten(item.text, size === 'large' ? 70 : 80) };
  });
  const large = size === 'large';
  const fontSize = large ? 34 : 15;
  const barSize = large ? 30 : 18;
  // Each row: the point's text above its bar, so long texts get the full width.
  const rowHeight = barSize + fontSize * 1.5 + (large ? 18 : 10);

  const renderText = (props: { x?: number | string; y?: number | string; value?: unknown }) => (
    <text x={Number(props.x)} y={Number(props.y) - 8} fill={colors.text} fontSize={fontSize} textAnchor="start">
      {String(props.value ?? '')}
    </text>
  );

  return (
    <figure className={`vote-chart vote-chart--${size}`}>
      <figcaption className="sr-only">{t.vote.chartLabel}</figcaption>
      <div aria-hidden="true" style={{ height: shown.length * rowHeight + 8 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={shown}
            layout="vertical"
            margin={{ top: fontSize + 8, right: fontSize * 2.5, bottom: 0, left: 0 }}
            barCategoryGap={fontSize + 12}
            accessibilityLayer={false}
          >
            <XAxis type="number" hide allowDecimals={false} domain={[0, (max: number) => Math.max(1, max)]} />
            <YAxis type="category" dataKey="id" hide />
            <Bar dataKey="total" fill={colors.bar} radius={[0, 6, 6, 0]} barSize={barSize} minPointSize={4} isAnimationActive animationDuration={300}>
              <LabelList dataKey="label" content={renderText} />
              <LabelList dataKey="total" position="right" fill={colors.text} fontSize={fontSize} fontWeight={700} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ResultsTable rows={shown} className="sr-only" />
    </figure>
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
