/**
 * Graded support and spread in the report: the adoption rule stated with the scale's own
 * labels, a stacked bar per item in the formats that draw charts, the counts per level in the
 * table, and the spread of ranking, points and graded votes with divided items marked.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../server/domain/report.js';
import { columnWidths, TEXT_WIDTH } from '../server/domain/reportDocx.js';
import { renderHtml } from '../server/domain/reportHtml.js';
import { renderPdf } from '../server/domain/reportPdf.js';
import { reportVote } from '../server/domain/reportVotes.js';
import { reportOutline, cellText, type Block } from '../shared/reportOutline.js';
import { scaleColors } from '../shared/scale.js';
import type { BallotChoices, VoteRules } from '../shared/tally.js';
import { counted, eveningInput, RECS, storedVote } from './fixtures/reportSession.js';

const rules = { method: 'graded', labels: ['Helemaal voor', 'Kan ermee leven', 'Twijfel', 'Bezwaar'], accept: 2, threshold: 80 } as const satisfies VoteRules;
const ids = RECS.map((r) => r.id);

/**
 * Ten voters: a1 6 × helemaal voor, 2 × kan ermee leven, 2 × twijfel (80 %, adopted);
 * a2 5 × helemaal voor, 5 × bezwaar (50 %, divided); a3 nobody graded.
 */
const ballots: BallotChoices[] = Array.from({ length: 10 }, (_, b) => ({
  method: 'graded',
  grades: { a1: b < 6 ? 0 : b < 8 ? 1 : 2, a2: b < 5 ? 0 : 3, a4: 1, a5: 2 },
}));

function gradedReport(lang: 'nl' | 'en' = 'nl') {
  const input = eveningInput(2, 4);
  const ctx = { stepId: null, agenda: input.session.agenda, joinedNow: 10, votersByTable: new Map<number, number>() };
  const graded = reportVote(storedVote('graded', { source: 'recommendations', rules, items: RECS, eligibleAtClose: 10 }), counted(rules, ids, ballots), ctx);
  const points = reportVote(
    storedVote('points', { rules: { method: 'points', budget: 10 }, items: RECS, eligibleAtClose: 10 }),
    counted({ method: 'points', budget: 10 }, ids, [
      { method: 'points', points: { a1: 10 } },
      { method: 'points', points: { a1: 10 } },
      { method: 'points', points: { a2: 10 } },
      { method: 'points', points: { a2: 10 } },
    ]),
    ctx,
  );
  const report = buildReport({ ...input, votes: [graded, points] });
  return { report, graded, points, outline: reportOutline(report, lang) };
}

const blocksOf = (blocks: Block[], kind: Block['kind']) => blocks.filter((b) => b.kind === kind);

describe('graded support in the report', () => {
  it('keeps the counts per level, the share of support, adoption and spread per item', () => {
    const { graded } = gradedReport();
    expect(graded.rules).toEqual({ labels: rules.labels, accept: 2, threshold: 80 });
    // Best supported first; a3, which nobody graded, last and without a spread.
    expect(graded.results.map((r) => [r.itemId, r.levels, r.graders, r.acceptPct, r.adopted, r.divided])).toEqual([
      ['a4', [0, 10, 0, 0], 10, 100, true, false],
      ['a1', [6, 2, 2, 0], 10, 80, true, false],
      ['a2', [5, 0, 0, 5], 10, 50, false, true],
      ['a5', [0, 0, 10, 0], 10, 0, false, false],
      ['a3', [0, 0, 0, 0], 0, null, false, undefined],
    ]);
  });

  it('states the adoption rule with the scale’s labels, in Dutch and in English', () => {
    const nl = gradedReport('nl')
      .outline.blocks.map((b) => ('text' in b ? b.text : ''))
      .join('\n');
    expect(nl).toContain('‘Helemaal voor’, ‘Kan ermee leven’, ‘Twijfel’, ‘Bezwaar’');
    expect(nl).toContain('Een punt is aangenomen als 80% of meer van wie het een plek op de schaal gaf, ‘Helemaal voor’ of ‘Kan ermee leven’ koos.');
    expect(nl).toContain('Boven 0,3 staat ‘verdeeld’.');
    const en = gradedReport('en')
      .outline.blocks.map((b) => ('text' in b ? b.text : ''))
      .join('\n');
    expect(en).toContain('A point is adopted when 80% or more of those who placed it on the scale chose ‘Helemaal voor’ or ‘Kan ermee leven’.');
  });

  it('draws a stacked bar per graded item in the scale’s colours, with the threshold and a key', () => {
    const { outline } = gradedReport();
    const chart = blocksOf(outline.blocks, 'chart').find((b) => b.kind === 'chart' && b.legend) as Extract<Block, { kind: 'chart' }>;
    expect(chart.legend).toEqual(rules.labels.map((label, i) => ({ label, color: scaleColors(4)[i] })));
    expect(chart.threshold).toBe(80);
    // Nobody graded a3: it has no bar. Each bar's parts are shares of those who graded it.
    expect(chart.bars.map((b) => b.segments)).toEqual([
      [0, 100, 0, 0],
      [60, 20, 20, 0],
      [50, 0, 0, 50],
      [0, 0, 100, 0],
    ]);
    const svg = renderHtml(outline);
    for (const color of scaleColors(4)) expect(svg).toContain(`fill="${color}"`);
    expect(svg).toContain('>Kan ermee leven</text>');
  });

  it('lists the levels, support, adoption and spread in the table, divided items marked', () => {
    const { outline } = gradedReport();
    const tables = blocksOf(outline.blocks, 'table') as Extract<Block, { kind: 'table' }>[];
    const graded = tables.find((t) => t.columns.some((c) => c.label === 'Kan ermee leven'))!;
    expect(graded.columns.map((c) => c.label)).toEqual([
      'Plaats',
      'Advies',
      'Helemaal voor',
      'Kan ermee leven',
      'Twijfel',
      'Bezwaar',
      'Steun %',
      'Aangenomen',
      'Spreiding',
    ]);
    const a2 = graded.rows.find((r) => cellText(r[1]!).startsWith('Elk jaar'))!;
    expect(a2.slice(2).map(cellText)).toEqual(['5', '0', '0', '5', '50%', 'nee', '0,5 verdeeld']);
    const points = tables.find((t) => t.columns.some((c) => c.label === 'Punten'))!;
    expect(points.columns.at(-1)!.label).toBe('Spreiding');
    expect(points.rows.map((r) => cellText(r.at(-1)!))).toEqual(['0,5 verdeeld', '0,5 verdeeld']);
  });

  it('fits the Word page however many columns the scale adds', () => {
    const { outline } = gradedReport();
    for (const b of outline.blocks) if (b.kind === 'table') expect(columnWidths(b).reduce((sum, w) => sum + w, 0)).toBeLessThanOrEqual(TEXT_WIDTH);
  });

  it('renders as a PDF', async () => {
    const pdf = await renderPdf(gradedReport().outline);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
