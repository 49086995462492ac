/**
 * A small horizontal bar chart as inline SVG, for the HTML report. No script and no style
 * attributes (the report's CSP allows neither); colours are presentation attributes, so the
 * chart prints as it shows. The full texts and numbers are in the table beside each chart.
 */
import type { Bar } from '../../shared/reportOutline.js';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const WIDTH = 640;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 60;
const ROW = 24;
const BAR = 16;
const TOP = 8;
/** About as many characters as fit in the label column at this font size. */
const LABEL_CHARS = 38;

function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

export interface ChartSpec {
  title: string;
  bars: Bar[];
  max: number;
  /** A dashed line at this value, e.g. the adoption threshold in percent. */
  threshold?: number;
  /** Stacked bars: each segment's name and colour, drawn as a key under the chart. */
  legend?: { label: string; color: string }[];
}

/** A bar, or its segments side by side in the legend's colours. */
function barRects(bar: Bar, y: number, x: (value: number) => number, legend: ChartSpec['legend']): string {
  if (!bar.segments || !legend) return `<rect x="${LABEL_WIDTH}" y="${y}" width="${x(bar.value) - LABEL_WIDTH}" height="${BAR}" fill="#2b6a8a"/>`;
  let from = 0;
  return bar.segments
    .map((part, i) => {
      const left = x(from);
      from += part;
      const width = x(from) - left;
      return width > 0 ? `<rect x="${left}" y="${y}" width="${width}" height="${BAR}" fill="${escapeXml(legend[i]?.color ?? '#888')}"/>` : '';
    })
    .join('');
}

/** The key of a stacked chart: a swatch and the label of each segment, in one line. */
function legendSvg(legend: NonNullable<ChartSpec['legend']>, y: number): string {
  let at = LABEL_WIDTH;
  return legend
    .map(({ label, color }) => {
      const part = `<rect x="${at}" y="${y}" width="10" height="10" fill="${escapeXml(color)}"/><text x="${at + 14}" y="${y + 9}" font-size="11" fill="#222">${escapeXml(label)}</text>`;
      at += 24 + Array.from(label).length * 6;
      return part;
    })
    .join('');
}

export function barChartSvg(chart: ChartSpec): string {
  const area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = chart.max > 0 ? chart.max : 1;
  const x = (value: number) => LABEL_WIDTH + Math.round((Math.min(Math.max(value, 0), max) / max) * area);
  const legendRow = chart.legend ? 18 : 0;
  const height = TOP * 2 + chart.bars.length * ROW + (chart.threshold === undefined ? 0 : 14) + legendRow;
  const rows = chart.bars.map((bar, i) => {
    const y = TOP + i * ROW;
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + BAR - 4}" text-anchor="end" font-size="12" fill="#222">${escapeXml(shorten(bar.label, LABEL_CHARS))}</text>`,
      barRects(bar, y, x, chart.legend),
      `<text x="${x(bar.value) + 6}" y="${y + BAR - 4}" font-size="12" fill="#222">${escapeXml(bar.text)}</text>`,
    ].join('');
  });
  if (chart.threshold !== undefined) {
    const tx = x(chart.threshold);
    const bottom = TOP + chart.bars.length * ROW;
    rows.push(
      `<line x1="${tx}" y1="${TOP / 2}" x2="${tx}" y2="${bottom}" stroke="#a33" stroke-width="2" stroke-dasharray="4 3"/>`,
      `<text x="${tx}" y="${bottom + 12}" text-anchor="middle" font-size="11" fill="#a33">${escapeXml(`${chart.threshold}%`)}</text>`,
    );
  }
  if (chart.legend) rows.push(legendSvg(chart.legend, height - legendRow));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" ` +
    `aria-label="${escapeXml(chart.title)}" font-family="Arial, Helvetica, sans-serif">` +
    `<title>${escapeXml(chart.title)}</title>` +
    `<line x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${TOP + chart.bars.length * ROW}" stroke="#888" stroke-width="1"/>` +
    rows.join('') +
    '</svg>'
  );
}
