import { describe, expect, it } from 'vitest';
import type { PointData } from '../shared/board.js';
import { Report as ReportSchema } from '../shared/report.js';
import { buildReport, OTHER_THEME, type ReportInput } from '../server/domain/report.js';
import { escapeMarkdown, renderMarkdown } from '../server/domain/reportMarkdown.js';

const themes = [
  { id: 'communicatie', label: 'Communicatie' },
  { id: 'samenwerking', label: 'Samenwerking' },
  { id: 'participatie', label: 'Participatie' },
];

const point = (id: string, text: string, theme: string, createdAt = 0): PointData => ({
  order: createdAt,
  mergedInto: null,
  origin: null,
  id,
  text,
  theme,
  createdAt,
  round: null,
  step: null,
  hidden: false,
});

const CREATED = Date.UTC(2025, 2, 14, 12, 0, 0); // 2025-03-14, midday UTC
const NOW = Date.UTC(2025, 2, 14, 15, 30, 0);

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    session: {
      id: 'sess-0001',
      kind: 'thematafel',
      title: 'Samen sterker',
      question: 'Hoe werken we beter samen?',
      createdAt: CREATED,
      tables: 3,
    },
    themes,
    pointsByTable: new Map([
      [
        1,
        [
          point('p1', 'Eerder informeren', 'communicatie'),
          point('p2', '   ', 'communicatie'), // empty: left out
          point('p3', 'Vaste contactpersoon', 'samenwerking'),
        ],
      ],
      [
        2,
        [
          point('p4', '  Nieuwsbrief op papier  ', 'communicatie'),
          point('p5', 'Punt zonder bekend thema', 'verwijderd-thema'),
          point('p6', '', 'participatie'), // empty: left out
        ],
      ],
      // table 3 has no board at all
    ]),
    devicesByTable: new Map([
      [1, 2],
      [2, 3],
    ]),
    votes: [],
    now: NOW,
    timeZone: 'Europe/Amsterdam',
    ...overrides,
  };
}

const voteItems = [
  { id: 'p1', table: 1, theme: 'communicatie', text: 'Eerder informeren' },
  { id: 'p3', table: 1, theme: 'samenwerking', text: 'Vaste contactpersoon' },
  { id: 'p4', table: 2, theme: 'communicatie', text: 'Nieuwsbrief op papier' },
  { id: 'p5', table: 2, theme: 'verwijderd-thema', text: 'Punt zonder bekend thema' },
];

const closedVote = {
  id: 'vote-1',
  status: 'closed' as const,
  budget: 3,
  maxPerItem: 2,
  openedAt: Date.UTC(2025, 2, 14, 13, 0, 0),
  closedAt: Date.UTC(2025, 2, 14, 13, 10, 0),
  items: voteItems,
  totals: { p1: 4, p3: 6, p4: 4, p5: 1 },
  ballots: 5,
  eligible: 5,
};

describe('buildReport', () => {
  it('produces a report that matches the schema', () => {
    const report = buildReport(input({ votes: [closedVote] }));
    expect(() => ReportSchema.parse(report)).not.toThrow();
    expect(report.schemaVersion).toBe(1);
    expect(report.generatedAt).toBe(new Date(NOW).toISOString());
    expect(report.session).toEqual({
      id: 'sess-0001',
      kind: 'thematafel',
      title: 'Samen sterker',
      question: 'Hoe werken we beter samen?',
      date: '2025-03-14',
    });
  });

  it('gives the local date in the given time zone', () => {
    const lateEvening = Date.UTC(2025, 2, 14, 23, 30, 0); // 00:30 on the 15th in Amsterdam
    const session = { ...input().session, createdAt: lateEvening };
    expect(buildReport(input({ session, timeZone: 'Europe/Amsterdam' })).session.date).toBe('2025-03-15');
    expect(buildReport(input({ session, timeZone: 'UTC' })).session.date).toBe('2025-03-14');
  });

  it('groups points by theme in the theme order, leaves out empty points and trims text', () => {
    const report = buildReport(input());
    expect(report.themes.map((t) => t.id)).toEqual(['communicatie', 'samenwerking', 'participatie', OTHER_THEME.id]);
    const byId = Object.fromEntries(report.themes.map((t) => [t.id, t]));
    expect(byId.communicatie!.points).toEqual([
      { id: 'p1', table: 1, text: 'Eerder informeren', count: 1, merged: [], cluster: null },
      { id: 'p4', table: 2, text: 'Nieuwsbrief op papier', count: 1, merged: [], cluster: null },
    ]);
    expect(byId.samenwerking!.points).toEqual([{ id: 'p3', table: 1, text: 'Vaste contactpersoon', count: 1, merged: [], cluster: null }]);
    expect(byId.participatie!.points).toEqual([]);
    const allIds = report.themes.flatMap((t) => t.points.map((p) => p.id));
    expect(allIds).not.toContain('p2');
    expect(allIds).not.toContain('p6');
  });

  it("puts points whose theme no longer exists under '_overig' / 'Overig'", () => {
    const report = buildReport(input());
    const other = report.themes.at(-1)!;
    expect(other).toEqual({ id: '_overig', label: 'Overig', points: [{ id: 'p5', table: 2, text: 'Punt zonder bekend thema', count: 1, merged: [], cluster: null }] });
  });

  it("has no 'Overig' theme when every point has a known theme", () => {
    const report = buildReport(input({ pointsByTable: new Map([[1, [point('p1', 'Een', 'communicatie')]]]) }));
    expect(report.themes.map((t) => t.id)).toEqual(['communicatie', 'samenwerking', 'participatie']);
  });

  it('lists every table with its devices and non-empty points, and totals them', () => {
    const report = buildReport(input({ votes: [closedVote] }));
    expect(report.tables).toEqual([
      { table: 1, devices: 2, points: 2 },
      { table: 2, devices: 3, points: 2 },
      { table: 3, devices: 0, points: 0 },
    ]);
    expect(report.totals).toEqual({ points: 4, devices: 5, ballots: 5 });
  });

  it('ignores boards of tables beyond the session', () => {
    const pointsByTable = new Map(input().pointsByTable);
    pointsByTable.set(4, [point('p9', 'Tafel die niet bestaat', 'communicatie')]);
    const report = buildReport(input({ pointsByTable }));
    expect(report.tables).toHaveLength(3);
    expect(report.themes.flatMap((t) => t.points).map((p) => p.id)).not.toContain('p9');
  });

  it('ranks vote results with shared ranks for ties and counts the dots cast', () => {
    const report = buildReport(input({ votes: [closedVote] }));
    const vote = report.votes[0]!;
    expect(vote).toMatchObject({
      id: 'vote-1',
      method: 'dots',
      status: 'closed',
      budget: 3,
      maxPerItem: 2,
      openedAt: '2025-03-14T13:00:00.000Z',
      closedAt: '2025-03-14T13:10:00.000Z',
      ballots: 5,
      eligible: 5,
      dotsCast: 15,
    });
    expect(vote.results.map((r) => [r.itemId, r.total, r.rank, r.tied])).toEqual([
      ['p3', 6, 1, false],
      ['p1', 4, 2, true],
      ['p4', 4, 2, true],
      ['p5', 1, 4, false],
    ]);
    expect(vote.results[0]).toEqual({
      itemId: 'p3',
      table: 1,
      theme: 'samenwerking',
      text: 'Vaste contactpersoon',
      total: 6,
      rank: 1,
      tied: false,
    });
  });

  it('reports an open vote with closedAt null and sums ballots over votes', () => {
    const open = { ...closedVote, id: 'vote-2', status: 'open' as const, closedAt: null, ballots: 2, totals: { p1: 1 } };
    const report = buildReport(input({ votes: [closedVote, open] }));
    expect(report.votes[1]).toMatchObject({ id: 'vote-2', status: 'open', closedAt: null, dotsCast: 1 });
    expect(report.votes[1]!.results.map((r) => r.total)).toEqual([1, 0, 0, 0]);
    expect(report.totals.ballots).toBe(7);
  });
});

describe('renderMarkdown', () => {
  it('renders Dutch by default', () => {
    const md = renderMarkdown(buildReport(input({ votes: [closedVote] })));
    expect(md).toContain('# Verslag thematafel ‘Samen sterker’');
    expect(md).toContain('- **Vraag:** Hoe werken we beter samen?');
    expect(md).toContain('- **Datum:** 2025-03-14');
    expect(md).toContain('## Wat er aan de tafels is gezegd');
    expect(md).toContain('De tafels brachten 4 punten in. Ze staan hieronder bij 3 thema’s, zonder namen.');
    expect(md).toContain('### Communicatie');
    expect(md).toContain('**Tafel 1**');
    expect(md).toContain('- Eerder informeren');
    expect(md).toContain('### Participatie\n\nGeen punten.');
    expect(md).toContain('### Overig');
    expect(md).toContain('## Stemmingen');
    expect(md).toContain('Stemmen met stippen: iedereen had 3 stippen, hoogstens 2 op één punt.');
    expect(md).toContain('Deze stemming is gesloten.');
    expect(md).toContain('5 van de 5 apparaten hebben gestemd.');
    expect(md).toContain('| Plaats | Punt | Tafel | Stippen |');
    expect(md).toContain('| 1 | Vaste contactpersoon | 1 | 6 |');
    expect(md).toContain('| 2 (gelijk) | Eerder informeren | 1 | 4 |');
    expect(md).toContain('| 2 (gelijk) | Nieuwsbrief op papier | 2 | 4 |');
    expect(md).toContain('| 4 | Punt zonder bekend thema | 2 | 1 |');
    expect(md).toContain('## Deelname per tafel');
    expect(md).toContain('| 3 | 0 | 0 |');
    expect(md).toContain('Niemand heeft een naam ingevuld.');
    expect(md).not.toMatch(/\bReport of\b|\bVotes\b|\bTable 1\b/);
  });

  it('orders points of a theme by table under a table heading', () => {
    const md = renderMarkdown(buildReport(input()));
    const section = md.slice(md.indexOf('### Communicatie'), md.indexOf('### Samenwerking'));
    expect(section.indexOf('**Tafel 1**')).toBeLessThan(section.indexOf('- Eerder informeren'));
    expect(section.indexOf('- Eerder informeren')).toBeLessThan(section.indexOf('**Tafel 2**'));
    expect(section.indexOf('**Tafel 2**')).toBeLessThan(section.indexOf('- Nieuwsbrief op papier'));
  });

  it('renders English with lang "en"', () => {
    const md = renderMarkdown(buildReport(input({ votes: [closedVote] })), 'en');
    expect(md).toContain('# Report of theme table ‘Samen sterker’');
    expect(md).toContain('- **Question:** Hoe werken we beter samen?');
    expect(md).toContain('## What was said at the tables');
    expect(md).toContain('The tables raised 4 points. They are listed under 3 themes, without names.');
    expect(md).toContain('**Table 2**');
    expect(md).toContain('### Other');
    expect(md).toContain('## Votes');
    expect(md).toContain('Dot voting: everyone had 3 dots, at most 2 on one point.');
    expect(md).toContain('5 of 5 devices voted.');
    expect(md).toContain('| 2 (tie) | Eerder informeren | 1 | 4 |');
    expect(md).toContain('## Participation per table');
    expect(md).not.toContain('Stemmingen');
    expect(md).not.toContain('Overig');
  });

  it('says so when there was no vote, and numbers several votes', () => {
    const none = renderMarkdown(buildReport(input()));
    expect(none).toContain('Er is niet gestemd.');
    const two = renderMarkdown(buildReport(input({ votes: [closedVote, { ...closedVote, id: 'vote-2', status: 'open', closedAt: null }] })));
    expect(two).toContain('### Stemmingen 1');
    expect(two).toContain('### Stemmingen 2');
    expect(two).toContain('Deze stemming is nog open. De uitslag kan nog veranderen.');
  });

  it('uses the burgerberaad heading for that kind', () => {
    const session = { ...input().session, kind: 'burgerberaad' as const, title: 'Klimaat' };
    expect(renderMarkdown(buildReport(input({ session })))).toContain('# Verslag burgerberaad ‘Klimaat’');
    expect(renderMarkdown(buildReport(input({ session })), 'en')).toContain('# Report of citizens’ assembly ‘Klimaat’');
  });

  describe('hostile text stays text', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '[x](javascript:alert(1))',
      '# heading',
      '| pipe | cell',
      '**bold** and _em_',
      '![img](http://evil.example/x.png)',
      'line one\n\n# injected heading\n- injected item',
      '<img src=x onerror=alert(1)>',
      '`code` ~~strike~~',
    ];

    function hostileMarkdown(lang: 'nl' | 'en' = 'nl'): string {
      const points = hostile.map((text, i) => point(`h${i}`, text, i % 2 ? 'communicatie' : 'onbekend'));
      const items = points.map((p) => ({ id: p.id, table: 1, theme: p.theme, text: p.text }));
      return renderMarkdown(
        buildReport(
          input({
            session: { ...input().session, title: '<script>alert(1)</script> # **t**', question: '[q](javascript:alert(1)) | x' },
            themes: [{ id: 'communicatie', label: '<b>Com</b> | *x*' }],
            pointsByTable: new Map([[1, points]]),
            votes: [{ ...closedVote, items, totals: Object.fromEntries(items.map((i, n) => [i.id, n])) }],
          }),
        ),
        lang,
      );
    }

    it('contains no raw HTML', () => {
      for (const lang of ['nl', 'en'] as const) {
        const md = hostileMarkdown(lang);
        expect(md).not.toMatch(/<\s*script/i);
        expect(md).not.toMatch(/<\s*img/i);
        expect(md).not.toMatch(/<\s*b>/i);
        expect(md).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
      }
    });

    it('contains no live link or image syntax', () => {
      const md = hostileMarkdown();
      expect(md).not.toContain('](');
      expect(md).not.toMatch(/(^|[^\\])\[x(?!\\)/);
      expect(md).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)');
      expect(md).toContain('!\\[img\\]\\(http://evil\\.example/x\\.png\\)');
    });

    it('contains no emphasis, code or strike-through from user text', () => {
      const md = hostileMarkdown();
      expect(md).toContain('\\*\\*bold\\*\\* and \\_em\\_');
      expect(md).not.toContain('**bold**');
      expect(md).toContain('\\`code\\` \\~\\~strike\\~\\~');
    });

    it('cannot start a heading, a list item or break a table row', () => {
      const md = hostileMarkdown();
      const headings = md.split('\n').filter((l) => l.startsWith('#'));
      // Only the report's own headings, and user text inside them is escaped.
      for (const h of headings) expect(h).toMatch(/^#{1,3} /);
      expect(headings.join('\n')).not.toContain('injected');
      expect(md).toContain('line one \\# injected heading \\- injected item');
      // Each vote-result row still has exactly 4 cells: pipes in text are escaped.
      const rows = md.split('\n').filter((l) => /^\| \d/.test(l) && l.split(' | ').length > 3);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.includes('pipe'))).toHaveLength(1);
      for (const row of rows.filter((r) => r.includes('pipe'))) {
        expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(5);
      }
      expect(md).toContain('\\| pipe \\| cell');
    });

    it('escapes the title, question and theme labels too', () => {
      const md = hostileMarkdown();
      expect(md.split('\n')[0]).toBe('# Verslag thematafel ‘&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\# \\*\\*t\\*\\*’');
      expect(md).toContain('- **Vraag:** \\[q\\]\\(javascript:alert\\(1\\)\\) \\| x');
      expect(md).toContain('### &lt;b&gt;Com&lt;/b&gt; \\| \\*x\\*');
    });
  });

  it('escapeMarkdown collapses white space and escapes ampersands first', () => {
    expect(escapeMarkdown('  a \n\t b  ')).toBe('a b');
    expect(escapeMarkdown('&lt;')).toBe('&amp;lt;');
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b');
  });
});

describe('merged duplicates in the report', () => {
  it('shows a point once with its count and the texts that were merged into it', () => {
    const kept = { ...point('k', 'Korte lijntjes', 'samenwerking', CREATED), merged: [point('d', 'Korte lijnen met de wijk', 'samenwerking', CREATED)] };
    const report = buildReport({
      session: { id: 's', kind: 'thematafel', title: 'T', question: 'V', createdAt: CREATED, tables: 1 },
      themes,
      pointsByTable: new Map([[1, [kept]]]),
      devicesByTable: new Map(),
      votes: [],
      now: NOW,
    });
    const samenwerking = report.themes.find((t) => t.id === 'samenwerking')!;
    expect(samenwerking.points).toEqual([{ id: 'k', table: 1, text: 'Korte lijntjes', count: 2, merged: ['Korte lijnen met de wijk'], cluster: null }]);
    expect(report.totals.points).toBe(1);
    const md = renderMarkdown(report);
    expect(md).toContain('- Korte lijntjes (2×)\n  - Korte lijnen met de wijk');
  });
});
