/**
 * Convergence and the merge trail in the report: what came up at several tables ("aan 4 van 6
 * tafels"), the plenary list with the same count, and an appendix with every merge (where, in
 * which step, suggested or by hand), never who.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../server/domain/report.js';
import { renderMarkdown } from '../server/domain/reportMarkdown.js';
import { mergePoint, mergesOf } from '../shared/board.js';
import { harvestPoint, plenaryView } from '../shared/plenary.js';
import { reportOutline, type Block } from '../shared/reportOutline.js';
import { eveningInput, THEMES } from './fixtures/reportSession.js';

function report(version: 'full' | 'public' = 'full') {
  const input = eveningInput(6, 3);
  const step = input.session.agenda.rounds.flatMap((r) => r.steps).find((s) => s.type === 'terugkoppeling') ?? input.session.agenda.rounds[0]!.steps[0]!;
  const doc = new Y.Doc();
  const add = (id: string, text: string, table: number) =>
    harvestPoint(doc, { id, theme: THEMES[0]!.id, text, origin: { table, round: null, point: id, count: 1 } });
  add('tijd', 'Tijdig informeren', 1);
  add('tijd3', 'Op tijd informeren', 3);
  add('tijd4', 'Informeer op tijd', 4);
  add('tijd6', 'Tijdig informeren', 6);
  add('solo', 'Nieuwsbrief op papier', 2);
  mergePoint(doc, 'tijd3', 'tijd', { by: 'suggestion', step: step.id });
  mergePoint(doc, 'tijd4', 'tijd', { by: 'hand', step: step.id });
  mergePoint(doc, 'tijd6', 'tijd', { by: 'suggestion', step: null });
  const built = buildReport({ ...input, plenary: plenaryView(doc, THEMES), plenaryMerges: mergesOf(doc) });
  return { built, step, outline: reportOutline(built, 'nl', { version }) };
}

const texts = (blocks: Block[]) => JSON.stringify(blocks);

describe('convergence in the report', () => {
  it('lists what came up at several tables, most tables first, as "aan 4 van 6 tafels"', () => {
    const { outline } = report();
    const at = outline.blocks.findIndex((b) => b.kind === 'heading' && b.text === 'Wat aan meerdere tafels speelde');
    expect(at).toBeGreaterThan(0);
    const list = outline.blocks.slice(at).find((b) => b.kind === 'list');
    expect(list).toMatchObject({ ordered: true, items: [{ text: 'Tijdig informeren', note: 'aan 4 van 6 tafels' }] });
    // The plenary appendix says it too, with the tables themselves.
    expect(texts(outline.blocks)).toContain('aan 4 van 6 tafels: tafels 1, 3, 4, 6');
  });
});

describe('the merge trail', () => {
  it('keeps every merge with where, the step and how, and nothing about who', () => {
    const { built, step } = report();
    const plenary = built.merges.filter((m) => m.table === null);
    expect(plenary).toEqual([
      {
        table: null,
        fromTable: 3,
        point: 'Tijdig informeren',
        merged: 'Op tijd informeren',
        by: 'suggestion',
        step: { type: step.type, title: step.title ?? null },
      },
      { table: null, fromTable: 4, point: 'Tijdig informeren', merged: 'Informeer op tijd', by: 'hand', step: { type: step.type, title: step.title ?? null } },
      { table: null, fromTable: 6, point: 'Tijdig informeren', merged: 'Tijdig informeren', by: 'suggestion', step: null },
    ]);
    // The evening's tables merged by hand before trails were kept: the trail says it is not known.
    expect(built.merges.filter((m) => m.table !== null).every((m) => m.by === null)).toBe(true);
  });

  it('is an appendix table in every format, left out of the public version', () => {
    const md = renderMarkdown(report().outline);
    expect(md).toContain('## Bijlage: samengevoegde punten');
    expect(md).toContain('| Waar | Stap | Hoe | Punt | Samengevoegd met |');
    expect(md).toMatch(/\| plenaire lijst \(tafel 3\) \| [^|]+ \| voorstel aangenomen \| Tijdig informeren \| Op tijd informeren \|/);
    expect(md).toMatch(/\| plenaire lijst \(tafel 4\) \| [^|]+ \| met de hand \| Tijdig informeren \| Informeer op tijd \|/);
    expect(md).toContain('| plenaire lijst (tafel 6) | – | voorstel aangenomen | Tijdig informeren | Tijdig informeren |');
    // The texts as typed, before any rewording: left out of the public version, like every point as written.
    const pub = renderMarkdown(report('public').outline);
    expect(pub).not.toContain('samengevoegde punten');
  });
});
