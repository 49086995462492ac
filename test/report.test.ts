/**
 * The report model and its renderers, without a server: boards are real Y.Docs read the way
 * the server reads them, votes are counted with the real tally.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Agenda } from '../shared/agenda.js';
import { Report as ReportSchema, type Report } from '../shared/report.js';
import type { BallotChoices } from '../shared/tally.js';
import { buildReport, type ReportInput } from '../server/domain/report.js';
import { OTHER_THEME } from '../shared/report.js';
import { csvCell, renderCsv } from '../server/domain/reportCsv.js';
import { cleanText, reportOutline } from '../shared/reportOutline.js';
import { renderDocx as docxOf } from '../server/domain/reportDocx.js';
import { escapeHtml, renderHtml as htmlOf, REPORT_HTML_CSP } from '../server/domain/reportHtml.js';
import { escapeMarkdown, renderMarkdown as markdownOf } from '../server/domain/reportMarkdown.js';
import { timeline, type LogEntry } from '../server/domain/reportProcess.js';
import { readEntry } from '../server/eventLog.js';
import { barChartSvg } from '../server/domain/reportSvg.js';
import { recommendationsOf, reportVote, turnoutPct, type StoredVote } from '../server/domain/reportVotes.js';
import { csvRow, docxParagraphs, docxParts, docxTexts, parseCsv } from './fixtures/reportFiles.js';
import { board, counted, ROUND_IDS, storedVote } from './fixtures/reportSession.js';
import type { ReportLanguage, ReportVersion } from '../shared/report.js';
import { hasEdits, NO_EDITS, ReportEdits } from '../shared/reportEdits.js';
import { checkLogo, LOGO_LIMITS } from '../server/domain/reportLogo.js';

/** The renderers take an outline; these tests start from the report. */
const renderMarkdown = (r: Report, lang: ReportLanguage = 'nl', version: ReportVersion = 'full') => markdownOf(reportOutline(r, lang, { version }));
const renderHtml = (r: Report, lang: ReportLanguage = 'nl', version: ReportVersion = 'full') => htmlOf(reportOutline(r, lang, { version }));
const renderDocx = (r: Report, lang: ReportLanguage = 'nl') => docxOf(reportOutline(r, lang));

const themes = [
  { id: 'communicatie', label: 'Communicatie' },
  { id: 'samenwerking', label: 'Samenwerking' },
  { id: 'participatie', label: 'Participatie' },
];

/** Its rounds have the ids by which the fixture's `board()` reads a table's top 3 (a test checks). */
const AGENDA: Agenda = {
  rounds: [
    {
      id: 'r1',
      title: 'Gespreksronde 1',
      rotate: false,
      steps: [
        { id: 's1', type: 'inbreng', durationSec: 600 },
        { id: 's2', type: 'prioriteren', durationSec: 300 },
      ],
    },
    { id: 'r2', rotate: true, question: 'En wat doen we morgen?', steps: [{ id: 's3', type: 'inbreng', durationSec: 600 }] },
    { id: 'r3', title: 'Plenair', rotate: false, steps: [{ id: 's4', type: 'stemmen', title: 'Wat vinden we het belangrijkst?', durationSec: 300 }] },
  ],
};

const CREATED = Date.UTC(2025, 2, 14, 18, 0, 0); // 19:00 in Amsterdam
const NOW = Date.UTC(2025, 2, 14, 21, 30, 0);

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    session: {
      id: 'sess-0001',
      kind: 'thematafel',
      title: 'Samen sterker',
      question: 'Hoe werken we beter samen?',
      place: 'Buurthuis De Kroon',
      participation: 'denken',
      decides: 'De gemeenteraad',
      createdAt: CREATED,
      tables: 3,
      themes,
      agenda: AGENDA,
      run: { status: 'ended', stepId: null },
    },
    boards: new Map([
      [
        1,
        board(
          [
            { id: 'a1', text: 'Eerder informeren' },
            { id: 'a2', text: '   ' },
            { id: 'a3', text: 'Vaste contactpersoon', theme: 'c1' },
            { id: 'a4', text: 'Korte lijnen', theme: 'samenwerking' },
            { id: 'a5', text: 'Korte lijntjes met de wijk', theme: 'samenwerking', into: 'a4' },
            { id: 'a6', text: 'Niet over dit onderwerp', hidden: true },
            { id: 'a7', text: 'Samen evalueren', theme: 'participatie', round: 'r2' },
          ],
          { clusters: [{ id: 'c1', theme: 'samenwerking', round: 'r1', label: 'Contact' }], tops: { r1: ['a4', 'a1'] } },
        ),
      ],
      [
        2,
        board([
          { id: 'b1', text: '  Nieuwsbrief op papier  ' },
          { id: 'b2', text: 'Punt zonder bekend thema', theme: 'verwijderd-thema' },
          { id: 'b3', text: 'Uit een ronde die er niet meer is', round: 'weg' },
        ]),
      ],
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

// --- votes ------------------------------------------------------------------------------------

const ITEMS = [
  { id: 'a1', table: 1, theme: 'communicatie', text: 'Eerder informeren' },
  { id: 'a4', table: 1, theme: 'samenwerking', text: 'Korte lijnen' },
  { id: 'b1', table: 2, theme: 'communicatie', text: 'Nieuwsbrief op papier' },
  { id: 'b2', table: 2, theme: 'verwijderd-thema', text: 'Punt zonder bekend thema' },
];
const ctx = { stepId: 's4', agenda: AGENDA, joinedNow: 9, votersByTable: new Map<number, number>() };

const ITEM_IDS = ITEMS.map((i) => i.id);
const stored = (method: StoredVote['method'], extra: Partial<StoredVote> = {}) => storedVote(method, { items: ITEMS, eligibleAtClose: 5, ...extra });

/** The legacy dot vote (rules as columns, totals as the store kept them). */
const dotVote = reportVote(stored('dots', { budget: 3, maxPerItem: 2 }), { totals: { a1: 4, a4: 6, b1: 4, b2: 1 }, ballots: 5 }, ctx);
const pointsVote = reportVote(
  stored('points', { rules: { method: 'points', budget: 100 } }),
  counted({ method: 'points', budget: 100 }, ITEM_IDS, [
    { method: 'points', points: { a1: 60, b1: 40 } },
    { method: 'points', points: { a4: 100 } },
  ]),
  ctx,
);
const rankingVote = reportVote(
  stored('ranking', { rules: { method: 'ranking' } }),
  counted({ method: 'ranking' }, ITEM_IDS, [
    { method: 'ranking', ranking: ['a4', 'a1', 'b1'] },
    { method: 'ranking', ranking: ['a1', 'a4'] },
  ]),
  ctx,
);
const RECS = [
  { id: 'r1', table: null, theme: null, text: 'Een vast wijkpanel' },
  { id: 'r2', table: null, theme: null, text: 'Elk jaar een buurtbudget' },
  { id: 'r3', table: null, theme: null, text: 'Geen advies zonder uitleg' },
];
const recommendationVote = reportVote(
  stored('recommendations', { source: 'recommendations', rules: { method: 'recommendations', threshold: 70 }, items: RECS, eligibleAtClose: 12 }),
  counted(
    { method: 'recommendations', threshold: 70 },
    RECS.map((r) => r.id),
    [
      ...Array.from({ length: 7 }, (): BallotChoices => ({ method: 'recommendations', stances: { r1: 'support', r2: 'support', r3: 'abstain' } })),
      ...Array.from({ length: 3 }, (): BallotChoices => ({ method: 'recommendations', stances: { r1: 'oppose', r2: 'oppose' } })),
      { method: 'recommendations', stances: { r2: 'oppose' } },
    ],
  ),
  ctx,
);
const ALL_VOTES = [dotVote, pointsVote, rankingVote, recommendationVote];

const EVALUATION = {
  stepId: 'ev',
  responses: 3,
  questions: [
    { id: 'satisfied' as const, counts: [0, 0, 1, 1, 1], answered: 3, average: 4 },
    { id: 'heard' as const, counts: [0, 1, 0, 2, 0], answered: 3, average: 3.3 },
    { id: 'clear' as const, counts: [0, 0, 0, 0, 0], answered: 0, average: null },
  ],
  remarks: ['Meer tijd voor de adviezen', 'Minder lang praten'],
};

const fullReport = (): Report => buildReport(input({ votes: ALL_VOTES, evaluations: [EVALUATION], notes: ['Tijdig informeren', 'Duidelijke taal'] }));

describe('buildReport', () => {
  it('produces a report that matches the schema, with the session context', () => {
    const report = fullReport();
    expect(() => ReportSchema.parse(report)).not.toThrow();
    expect(report.schemaVersion).toBe(4);
    expect(report.generatedAt).toBe(new Date(NOW).toISOString());
    expect(report.session).toEqual({
      id: 'sess-0001',
      kind: 'thematafel',
      title: 'Samen sterker',
      question: 'Hoe werken we beter samen?',
      date: '2025-03-14',
      place: 'Buurthuis De Kroon',
      participation: 'denken',
      decides: 'De gemeenteraad',
      status: 'ended',
      themes,
    });
  });

  it('says "not stated" with null, not with an empty string', () => {
    const session = { ...input().session, place: '  ', decides: '', participation: null };
    expect(buildReport(input({ session })).session).toMatchObject({ place: null, decides: null, participation: null });
  });

  it('gives the local date in the given time zone', () => {
    const lateEvening = Date.UTC(2025, 2, 14, 23, 30, 0); // 00:30 on the 15th in Amsterdam
    const session = { ...input().session, createdAt: lateEvening };
    expect(buildReport(input({ session, timeZone: 'Europe/Amsterdam' })).session.date).toBe('2025-03-15');
    expect(buildReport(input({ session, timeZone: 'UTC' })).session.date).toBe('2025-03-14');
  });

  it("reads the boards by this agenda's rounds", () => {
    expect(ROUND_IDS).toEqual(AGENDA.rounds.map((r) => r.id));
  });

  it('lists per round, per theme, the points with their table; empty points left out, text trimmed', () => {
    const report = buildReport(input());
    expect(report.rounds.map((r) => [r.id, r.number, r.title, r.question])).toEqual([
      ['r1', 1, 'Gespreksronde 1', null],
      ['r2', 2, null, 'En wat doen we morgen?'],
      [null, null, null, null],
    ]);
    const r1 = report.rounds[0]!;
    expect(r1.themes.map((t) => t.id)).toEqual(['communicatie', 'samenwerking', 'participatie', OTHER_THEME.id]);
    expect(r1.themes[0]!.points).toEqual([
      { id: 'a1', table: 1, text: 'Eerder informeren', count: 1, merged: [], cluster: null },
      { id: 'b1', table: 2, text: 'Nieuwsbrief op papier', count: 1, merged: [], cluster: null },
    ]);
    expect(r1.themes[3]).toEqual({ ...OTHER_THEME, points: [{ id: 'b2', table: 2, text: 'Punt zonder bekend thema', count: 1, merged: [], cluster: null }] });
    expect(r1.points).toBe(5);
    expect(report.rounds[1]!.themes.find((t) => t.id === 'participatie')!.points.map((p) => p.text)).toEqual(['Samen evalueren']);
    // A point whose round is no longer in the agenda still shows, in a round of its own at the end.
    expect(report.rounds[2]!.themes[0]!.points.map((p) => p.id)).toEqual(['b3']);
    const all = report.rounds.flatMap((r) => r.themes.flatMap((t) => t.points.map((p) => p.id)));
    expect(all).not.toContain('a2');
  });

  it('shows a merged duplicate once, with its count and the texts merged into it', () => {
    const samenwerking = buildReport(input()).rounds[0]!.themes[1]!;
    expect(samenwerking.points[0]).toEqual({ id: 'a4', table: 1, text: 'Korte lijnen', count: 2, merged: ['Korte lijntjes met de wijk'], cluster: null });
    expect(samenwerking.points.map((p) => p.id)).not.toContain('a5');
  });

  it('puts sub-themes under their theme, after the points without one, named on each point', () => {
    const samenwerking = buildReport(input()).rounds[0]!.themes[1]!;
    expect(samenwerking.points.map((p) => [p.id, p.cluster])).toEqual([
      ['a4', null],
      ['a3', 'Contact'],
    ]);
  });

  it('leaves hidden points out and counts them in their round', () => {
    const report = buildReport(input());
    expect(report.rounds.map((r) => r.hidden)).toEqual([1, 0, 0]);
    expect(report.rounds.flatMap((r) => r.themes.flatMap((t) => t.points.map((p) => p.id)))).not.toContain('a6');
  });

  it("gives each table's own top 3 per round, and an empty list for a table that chose none", () => {
    const report = buildReport(input());
    expect(report.rounds[0]!.tops).toEqual([
      {
        table: 1,
        points: [
          { id: 'a4', theme: 'samenwerking', text: 'Korte lijnen' },
          { id: 'a1', theme: 'communicatie', text: 'Eerder informeren' },
        ],
      },
      { table: 2, points: [] },
    ]);
    expect(report.rounds[1]!.tops).toEqual([{ table: 1, points: [] }]);
  });

  it('lists a reached round in which tables could write, even without points; not a round still to come', () => {
    const quiet = new Map([[1, board([{ id: 'x', text: 'Alleen ronde 1' }])]]);
    const running = (stepId: string) => buildReport(input({ boards: quiet, session: { ...input().session, run: { status: 'running', stepId } } }));
    expect(running('s1').rounds.map((r) => r.id)).toEqual(['r1']);
    expect(running('s3').rounds.map((r) => [r.id, r.points])).toEqual([
      ['r1', 1],
      ['r2', 0],
    ]);
    // The plenary round has no step in which tables write, so it is no round of points.
    expect(running('s4').rounds.map((r) => r.id)).toEqual(['r1', 'r2']);
    const lobby = buildReport(input({ boards: new Map(), session: { ...input().session, run: { status: 'lobby', stepId: null } } }));
    expect(lobby.rounds).toEqual([]);
    expect(lobby.session.status).toBe('lobby');
  });

  it('lists every table with its devices and points, ignores boards beyond the session, and totals them', () => {
    const boards = new Map(input().boards);
    boards.set(4, board([{ id: 'z', text: 'Tafel die niet bestaat' }]));
    const report = buildReport(input({ boards, votes: ALL_VOTES }));
    expect(report.tables).toEqual([
      { table: 1, devices: 2, points: 4 },
      { table: 2, devices: 3, points: 3 },
      { table: 3, devices: 0, points: 0 },
    ]);
    expect(report.totals).toEqual({ points: 7, devices: 5, ballots: 5 + 2 + 2 + 11 });
  });

  it('passes votes, evaluations and notes through, and derives the recommendations', () => {
    const report = fullReport();
    expect(report.votes).toEqual(ALL_VOTES);
    expect(report.evaluations).toEqual([EVALUATION]);
    expect(report.notes).toEqual(['Tijdig informeren', 'Duidelijke taal']);
    expect(report.recommendations.map((r) => [r.text, r.supportPct, r.adopted])).toEqual([
      ['Een vast wijkpanel', 70, true],
      ['Elk jaar een buurtbudget', 63.63636363636363, false],
      ['Geen advies zonder uitleg', null, false],
    ]);
    expect(report.process.methods).toEqual(['dots', 'points', 'ranking', 'recommendations']);
  });
});

describe('reportVote', () => {
  it('maps a dot vote: ranks with shared places, dots as score, rules, turnout and its step', () => {
    expect(dotVote).toMatchObject({
      id: 'vote-dots',
      stepId: 's4',
      stepTitle: 'Wat vinden we het belangrijkst?',
      round: 3,
      method: 'dots',
      source: 'tables',
      rules: { budget: 3, maxPerItem: 2 },
      status: 'closed',
      openedAt: '2025-03-14T20:00:00.000Z',
      closedAt: '2025-03-14T20:10:00.000Z',
      ballots: 5,
      eligible: 5,
      turnout: 100,
    });
    expect(dotVote.results.map((r) => [r.itemId, r.score, r.total, r.rank, r.tied])).toEqual([
      ['a4', 6, 6, 1, false],
      ['a1', 4, 4, 2, true],
      ['b1', 4, 4, 2, true],
      ['b2', 1, 1, 4, false],
    ]);
    expect(dotVote.results[0]).toEqual({ itemId: 'a4', table: 1, theme: 'samenwerking', text: 'Korte lijnen', rank: 1, tied: false, score: 6, total: 6 });
  });

  it('counts who could vote now while a vote is open, and has no turnout when nobody could', () => {
    const open = reportVote(stored('dots', { status: 'open', closedAt: null, eligibleAtClose: null, budget: 3 }), { totals: {}, ballots: 3 }, ctx);
    expect(open).toMatchObject({ status: 'open', closedAt: null, eligible: 9, turnout: 33 });
    expect(turnoutPct(0, 0)).toBeNull();
    expect(turnoutPct(2, 3)).toBe(67);
  });

  it('takes the step from the vote itself when it has one', () => {
    const v = reportVote(stored('dots', { budget: 1, stepId: 's1' }), { totals: {}, ballots: 0 }, ctx);
    expect([v.stepId, v.round, v.stepTitle]).toEqual(['s1', 1, null]);
  });

  it('maps points allocation, ranking (Borda) and recommendations with their own counters', () => {
    expect(pointsVote.rules).toEqual({ budget: 100 });
    expect(pointsVote.results.map((r) => [r.itemId, r.score, r.points])).toEqual([
      ['a4', 100, 100],
      ['a1', 60, 60],
      ['b1', 40, 40],
      ['b2', 0, 0],
    ]);
    // Modified Borda: 3-2-1 for the first ballot, 2-1 for the second.
    expect(rankingVote.results.map((r) => [r.itemId, r.borda, r.firsts, r.rank, r.tied])).toEqual([
      ['a1', 4, 1, 1, true],
      ['a4', 4, 1, 1, true],
      ['b1', 1, 0, 3, false],
      ['b2', 0, 0, 4, false],
    ]);
    expect(recommendationVote).toMatchObject({ source: 'recommendations', rules: { threshold: 70 }, ballots: 11, eligible: 12, turnout: 92 });
    expect(recommendationVote.results.map((r) => [r.itemId, r.support, r.oppose, r.abstain, r.cast, r.supportPct, r.adopted, r.table])).toEqual([
      ['r1', 7, 3, 0, 10, 70, true, null],
      ['r2', 7, 4, 0, 11, 63.63636363636363, false, null],
      ['r3', 0, 0, 7, 0, null, false, null],
    ]);
  });

  it('ranks a vote in which each table voted on its own points per table, and withholds a table where fewer than three voted', () => {
    const perTable = reportVote(
      stored('dots', { source: 'table', rules: { method: 'dots', budget: 3, maxPerItem: 3 } }),
      { totals: { a1: 1, a4: 5, b1: 2, b2: 0 }, ballots: 5 },
      {
        ...ctx,
        votersByTable: new Map([
          [1, 3],
          [2, 2],
        ]),
      },
    );
    expect(perTable.tables).toEqual([
      { table: 1, ballots: 3, withheld: false },
      { table: 2, ballots: 2, withheld: true },
    ]);
    expect(perTable.results.map((r) => [r.itemId, r.rank, r.score])).toEqual([
      ['a4', 1, 5],
      ['a1', 2, 1],
    ]);
    expect(dotVote.tables).toEqual([]);

    const report = buildReport(input({ votes: [perTable] }));
    const md = renderMarkdown(report);
    expect(md).toContain('Elke tafel stemde over haar eigen punten.');
    expect(md).toContain('**Tafel 1: 3 stemmen**\n\n| Plaats | Punt | Tafel | Thema | Stippen |');
    expect(md).toContain(
      '**Tafel 2: 2 stemmen**\n\n_Hier stemden minder dan 3 mensen. Om hun stem geheim te houden, staat de uitslag van deze tafel niet in het verslag._',
    );
    const votes = md.slice(md.indexOf('## Stemmingen'), md.indexOf('## Tips en acties'));
    expect(votes).not.toContain('Nieuwsbrief op papier');
    const html = renderHtml(report);
    expect(html.slice(html.indexOf('>Stemmingen<'), html.indexOf('>Tips en acties<'))).not.toContain('Nieuwsbrief op papier');
    expect(
      parseCsv(renderCsv(report).slice(1))
        .filter((r) => r[0] === 'uitslag')
        .map((r) => r[9]),
    ).toEqual(['Korte lijnen', 'Eerder informeren']);
  });

  it('recommendationsOf keeps only recommendation votes, with their threshold', () => {
    expect(recommendationsOf([dotVote, recommendationVote])).toEqual([
      {
        voteId: 'vote-recommendations',
        itemId: 'r1',
        text: 'Een vast wijkpanel',
        table: null,
        support: 7,
        oppose: 3,
        abstain: 0,
        cast: 10,
        supportPct: 70,
        threshold: 70,
        adopted: true,
      },
      expect.objectContaining({ itemId: 'r2', adopted: false }),
      expect.objectContaining({ itemId: 'r3', supportPct: null }),
    ]);
  });
});

describe('the process appendix', () => {
  const at = (min: number) => CREATED + min * 60_000;
  const events: LogEntry[] = [
    { at: at(0), type: 'session.created', data: { kind: 'thematafel' } },
    { at: at(60), type: 'step.entered', data: { action: 'start', status: 'running', stepId: 's1', stepType: 'inbreng', round: 1 } },
    { at: at(61), type: 'projector.changed', data: { theme: 'light' } },
    { at: at(70), type: 'timer.extend', data: { seconds: 300 } },
    { at: at(72), type: 'device.moved', data: { from: 1, to: 2 } },
    { at: at(80), type: 'step.entered', data: { action: 'goto', status: 'running', stepId: 's4', stepType: 'stemmen', round: 3 } },
    { at: at(81), type: 'vote.opened', data: { voteId: 'v', method: 'dots', stepId: 's4' } },
    { at: at(89), type: 'vote.closed', data: { voteId: 'v', ballots: 12 } },
    { at: at(90), type: 'agenda.edited', data: {} },
    { at: at(95), type: 'step.entered', data: { action: 'next', status: 'ended', stepId: null, stepType: null, round: null } },
  ];

  it('turns the event log into a timeline with clock times and how long each step took', () => {
    expect(timeline(events, AGENDA, 'Europe/Amsterdam')).toEqual([
      expect.objectContaining({ event: 'created', time: '19:00', at: new Date(at(0)).toISOString() }),
      expect.objectContaining({ event: 'step', time: '20:00', round: 1, stepType: 'inbreng', stepTitle: null, minutes: 20 }),
      expect.objectContaining({ event: 'timerExtended', time: '20:10', seconds: 300 }),
      expect.objectContaining({ event: 'deviceMoved', fromTable: 1, toTable: 2 }),
      expect.objectContaining({ event: 'step', round: 3, stepType: 'stemmen', stepTitle: 'Wat vinden we het belangrijkst?', minutes: 15 }),
      expect.objectContaining({ event: 'voteOpened', method: 'dots', round: 3 }),
      expect.objectContaining({ event: 'voteClosed', ballots: 12 }),
      expect.objectContaining({ event: 'agendaEdited' }),
      expect.objectContaining({ event: 'ended', time: '20:35', minutes: null }),
    ]);
  });

  it('leaves the running step without a duration', () => {
    const running = timeline(events.slice(0, 2), AGENDA, 'UTC');
    expect(running.at(-1)).toMatchObject({ event: 'step', minutes: null });
  });

  it('reads the rows of older versions with what still fits their type, and leaves out types it does not know', () => {
    const row = (min: number, type: string, data: unknown) => ({ at: at(min), type, data: typeof data === 'string' ? data : JSON.stringify(data) });
    const entries = [
      row(0, 'session.created', 'not json'),
      row(60, 'step.entered', { action: 'goto', status: 'running', stepId: 's4', stepType: 'stemronde', round: 'drie' }),
      // Before votes kept their step and said why they closed.
      row(81, 'vote.opened', { voteId: 'v', method: 'dots', budget: 5, items: 4 }),
      row(89, 'vote.closed', { voteId: 'v', ballots: 12 }),
      row(90, 'device.renamed', { label: 'K7Q' }),
    ].flatMap((r) => readEntry(r) ?? []);
    expect(entries.map((e) => [e.type, e.data])).toEqual([
      ['session.created', {}],
      ['step.entered', { action: 'goto', status: 'running', stepId: 's4' }],
      ['vote.opened', { voteId: 'v', method: 'dots', items: 4 }],
      ['vote.closed', { voteId: 'v', ballots: 12 }],
    ]);
    expect(timeline(entries, AGENDA, 'UTC')).toEqual([
      expect.objectContaining({ event: 'created' }),
      expect.objectContaining({ event: 'step', round: 3, stepType: 'stemmen', stepTitle: 'Wat vinden we het belangrijkst?', minutes: null }),
      expect.objectContaining({ event: 'voteOpened', method: 'dots', round: null }),
      expect.objectContaining({ event: 'voteClosed', ballots: 12 }),
    ]);
  });

  it('is in the report, and nothing in it names a device', () => {
    const report = buildReport(input({ events }));
    expect(report.process.timeline).toHaveLength(9);
    expect(JSON.stringify(report.process)).not.toMatch(/label|token|device"/);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(fullReport());
  const en = renderMarkdown(fullReport(), 'en');

  it('renders the context in Dutch by default', () => {
    expect(md.split('\n')[0]).toBe('# Verslag thematafel ‘Samen sterker’');
    expect(md).toContain('- **Vraag:** Hoe werken we beter samen?');
    expect(md).toContain('- **Datum:** 14 maart 2025');
    expect(md).toContain('- **Plaats:** Buurthuis De Kroon');
    expect(md).toContain('- **Mate van meedoen:** Samen denken: de deelnemers denken mee en geven ideeën. Anderen beslissen.');
    expect(md).toContain('- **Wie beslist over de uitkomst:** De gemeenteraad');
    expect(md).not.toContain('voorlopig');
  });

  it('lists per theme one list over all tables and rounds, each point once, then the tops', () => {
    const main = md.slice(md.indexOf('## Wat er naar voren kwam'), md.indexOf('## Top 3 per tafel'));
    expect(main).toContain('### Communicatie\n\n- Eerder informeren\n- Nieuwsbrief op papier\n- Uit een ronde die er niet meer is\n');
    // A merged duplicate is said once, with its count; its other wording is only in the appendix.
    expect(main).toContain('### Samenwerking\n\n- Korte lijnen (2 keer genoemd)\n- Vaste contactpersoon\n');
    expect(main).not.toContain('Korte lijntjes met de wijk');
    expect(main).toContain('### Overig\n\n- Punt zonder bekend thema');
    expect(main).not.toContain('Tafel 1');
    expect(md).toContain('## Top 3 per tafel');
    expect(md).toContain('### Ronde 1: Gespreksronde 1\n\n**Tafel 1**\n\n1. Korte lijnen (Samenwerking)\n2. Eerder informeren (Communicatie)');
    expect(md).toContain('**Tafel 2**\n\n_Geen top 3 gekozen._');
  });

  it('keeps every point per round, theme and table in the appendix, with hidden points counted', () => {
    const appendix = md.slice(md.indexOf('## Bijlage: alle punten per ronde en tafel'), md.indexOf('## Bijlage: hoe de bijeenkomst verliep'));
    expect(appendix).toContain('### Ronde 1: Gespreksronde 1');
    expect(appendix).toContain('### Ronde 2\n\n- **Vraag in deze ronde:** En wat doen we morgen?');
    expect(appendix).toContain('### Punten buiten een ronde');
    expect(appendix).toContain('_1 punt is door een gespreksleider verborgen. Dat punt staat niet in dit verslag._');
    expect(appendix).toContain(
      '**Samenwerking · Tafel 1**\n\n- Korte lijnen (2 keer genoemd)\n  - Korte lijntjes met de wijk\n\n**Samenwerking ' +
        '· Tafel 1 · Subthema ‘Contact’**\n\n- Vaste contactpersoon\n',
    );
  });

  it('collapses the items nobody chose in a dots or points vote into one line', () => {
    const report = fullReport();
    const dots = report.votes.find((v) => v.method === 'dots')!;
    const zero = { ...dots.results.at(-1)!, id: 'z', text: 'Niemand koos dit', score: 0, total: 0, rank: 9, tied: true };
    const withZeros = { ...report, votes: [{ ...dots, results: [...dots.results, zero, { ...zero, id: 'z2', text: 'Dit ook niet' }] }] };
    const out = renderMarkdown(withZeros);
    expect(out).toContain('_2 punten kregen geen stippen._');
    expect(out).not.toContain('Niemand koos dit');
    expect(renderMarkdown(withZeros, 'en')).toContain('_2 points got no dots._');
  });

  it('renders each vote method with its own columns', () => {
    expect(md).toContain('### Stemming 1: stemmen met stippen');
    expect(md).toContain(
      'Iedereen had 3 stippen, hoogstens 2 op één punt. Er is gestemd over de punten van de tafels. ' +
        'Deze stemming hoorde bij ‘Plenair’, stap ‘Wat vinden we het belangrijkst?’.',
    );
    expect(md).toContain('Deze stemming is gesloten. 5 van de 5 apparaten hebben gestemd (100%). 2 punten staan samen op plaats 2.');
    expect(md).toContain('| Plaats | Punt | Tafel | Thema | Stippen |\n|---:|---|---:|---|---:|');
    expect(md).toContain('| 1 | Korte lijnen | 1 | Samenwerking | 6 |');
    expect(md).toContain('| 2 (gelijk) | Eerder informeren | 1 | Communicatie | 4 |');
    expect(md).toContain('| 4 | Punt zonder bekend thema | 2 | Overig | 1 |');
    expect(md).toContain('### Stemming 2: punten verdelen');
    expect(md).toContain('| Plaats | Punt | Tafel | Thema | Punten |');
    expect(md).toContain('| 1 | Korte lijnen | 1 | Samenwerking | 100 |');
    expect(md).toContain('### Stemming 3: op volgorde zetten');
    expect(md).toContain('| Plaats | Punt | Tafel | Thema | Borda-score | Eerste keus |');
    expect(md).toContain('| 1 (gelijk) | Korte lijnen | 1 | Samenwerking | 4 | 1 |');
    expect(md).toContain('### Stemming 4: stemmen over adviezen');
    expect(md).toContain('Een advies is aangenomen als 70% of meer van de stemmen voor is.');
    expect(md).toContain('| Plaats | Advies | Voor | Tegen | Neutraal | Steun % | Aangenomen |');
    expect(md).toContain('| 1 | Een vast wijkpanel | 7 | 3 | 0 | 70% | ja |');
    expect(md).toContain('| 2 | Elk jaar een buurtbudget | 7 | 4 | 0 | 63,6% | nee |');
    expect(md).toContain('| 3 | Geen advies zonder uitleg | 0 | 0 | 7 | – | nee |');
  });

  it('renders the recommendations, the evaluation, the tips and the appendix', () => {
    expect(md).toContain('## Adviezen\n\nAangenomen: 1 van de 3 adviezen.');
    expect(md).toContain('| Een vast wijkpanel | 70% | 70% | ja | 7 | 3 | 0 |');
    expect(md).toContain('## Evaluatie\n\n3 deelnemers vulden de evaluatie in');
    expect(md).toContain('| Ik kon zeggen wat ik wilde zeggen. | 3,3 | 0 · 1 · 0 · 2 · 0 |');
    expect(md).toContain('**Wat kan beter?**\n\n- Meer tijd voor de adviezen\n- Minder lang praten');
    expect(md).toContain('## Tips en acties\n\n- Tijdig informeren\n- Duidelijke taal');
    expect(md).toContain('## Bijlage: hoe de bijeenkomst verliep');
    expect(md).toContain('| 3 | 0 | 0 |');
    expect(md).toContain('- stemmen met stippen\n- punten verdelen\n- op volgorde zetten\n- stemmen over adviezen');
    expect(md).toContain('### Zo bleef iedereen anoniem\n\nNiemand heeft een naam ingevuld.');
  });

  it('renders English with lang "en"', () => {
    expect(en.split('\n')[0]).toBe('# Report of theme table ‘Samen sterker’');
    expect(en).toContain('- **Question:** Hoe werken we beter samen?');
    expect(en).toContain('- **Date:** 14 March 2025');
    expect(en).toContain('## Round 1: Gespreksronde 1');
    expect(en).toContain('### Vote 4: vote on recommendations');
    expect(en).toContain('| Rank | Recommendation | For | Against | Neutral | Support % | Adopted |');
    expect(en).toContain('| 2 | Elk jaar een buurtbudget | 7 | 4 | 0 | 63.6% | no |');
    expect(en).toContain('## Tips and actions');
    expect(en).toContain('### Other');
    expect(en).not.toMatch(/Stemming|Overig|Tafel 1|Bijlage/);
  });

  it('says when there was no vote, no tip, and when the report is a preview', () => {
    const running = renderMarkdown(buildReport(input({ session: { ...input().session, run: { status: 'running', stepId: 's3' } } })));
    expect(running).toContain('> Dit is een voorlopig verslag: de bijeenkomst is nog bezig.');
    expect(running).toContain('## Stemmingen\n\nEr is niet gestemd.');
    expect(running).toContain('## Tips en acties\n\nEr zijn geen tips of acties genoteerd.');
    expect(running).not.toContain('## Adviezen');
    expect(running).not.toContain('## Evaluatie');
  });

  it('uses the burgerberaad heading for that kind', () => {
    const session = { ...input().session, kind: 'burgerberaad' as const, title: 'Klimaat' };
    expect(renderMarkdown(buildReport(input({ session })))).toContain('# Verslag burgerberaad ‘Klimaat’');
    expect(renderMarkdown(buildReport(input({ session })), 'en')).toContain('# Report of citizens’ assembly ‘Klimaat’');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(fullReport());

  it('is a standalone page for A4 with its own strict policy and no script', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="nl">')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_HTML_CSP.replace(/'/g, '&#39;')}">`);
    expect(REPORT_HTML_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; img-src 'none'; base-uri 'none'; form-action 'none'$/);
    expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/);
    expect(renderHtml(fullReport(), 'en')).toContain('<html lang="en">');
  });

  it('hashes exactly the stylesheet it carries', async () => {
    const { createHash } = await import('node:crypto');
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(REPORT_HTML_CSP).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it('breaks pages only before the appendices', () => {
    expect([...html.matchAll(/<h2 class="page-break">([^<]*)</g)].map((m) => m[1])).toEqual([
      'Bijlage: alle punten per ronde en tafel',
      'Bijlage: samengevoegde punten',
      'Bijlage: hoe de bijeenkomst verliep',
    ]);
    expect(html).toContain('<h3>Ronde 1: Gespreksronde 1</h3>');
  });

  it('draws the charts as inline SVG bar charts, with the threshold of a recommendations vote', () => {
    const charts = html.match(/<svg /g) ?? [];
    // Points per theme, 4 votes, 1 evaluation.
    expect(charts).toHaveLength(6);
    expect(html).toContain('<figcaption>Aantal punten per thema</figcaption>');
    expect(html).toMatch(/<line [^>]*stroke-dasharray[^>]*\/><text [^>]*>70%<\/text>/);
  });

  it('has every method’s columns as table headers', () => {
    for (const th of ['Stippen', 'Punten', 'Borda-score', 'Eerste keus', 'Voor', 'Tegen', 'Neutraal', 'Steun %', 'Aangenomen', 'Nodig']) {
      expect(html).toContain(`<th scope="col" class="num">${th}</th>`.replace(' class="num">Aangenomen', '>Aangenomen'));
    }
    expect(html).toContain('<td>Een vast wijkpanel</td><td class="num">7</td>');
  });
});

describe('renderCsv', () => {
  const csv = renderCsv(fullReport());
  const rows = parseCsv(csv.slice(1));

  it('is UTF-8 with a byte order mark, CRLF line ends, and one header row', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(rows[0]).toEqual([
      'onderdeel',
      'ronde',
      'thema',
      'subthema',
      'tafel',
      'stemming',
      'methode',
      'plaats',
      'gelijk',
      'tekst',
      'aantal',
      'score',
      'stippen',
      'borda',
      'eerste keus',
      'punten',
      'voor',
      'tegen',
      'neutraal',
      'steun %',
      'aangenomen',
      'tekst in verslag',
      'niet in hoofdtekst',
    ]);
    for (const row of rows) expect(row).toHaveLength(23);
  });

  it('has points, merged duplicates, tops, results of every method, recommendations, evaluation and tips', () => {
    const bySection = (s: string) => rows.filter((r) => r[0] === s);
    expect(bySection('punt')).toHaveLength(7);
    expect(bySection('punt')).toContainEqual(
      csvRow({ section: 'punt', round: '1', theme: 'Samenwerking', subtheme: 'Contact', table: '1', text: 'Vaste contactpersoon', count: '1' }),
    );
    expect(bySection('samengevoegd').map((r) => r[9])).toEqual(['Korte lijntjes met de wijk']);
    expect(bySection('top 3').map((r) => [r[1], r[4], r[7], r[9]])).toEqual([
      ['1', '1', '1', 'Korte lijnen'],
      ['1', '1', '2', 'Eerder informeren'],
    ]);
    const results = bySection('uitslag');
    expect(results).toHaveLength(4 + 4 + 4 + 3);
    expect(results[0]).toEqual(
      csvRow({
        section: 'uitslag',
        round: '3',
        theme: 'Samenwerking',
        table: '1',
        vote: '1',
        method: 'stemmen met stippen',
        rank: '1',
        tied: 'nee',
        text: 'Korte lijnen',
        score: '6',
        total: '6',
      }),
    );
    expect(results.find((r) => r[5] === '3')!.slice(11, 16)).toEqual(['4', '', '4', '1', '']);
    expect(results.find((r) => r[5] === '4')!.slice(16, 21)).toEqual(['7', '3', '0', '70', 'ja']);
    expect(bySection('advies').map((r) => [r[9], r[19], r[20]])).toEqual([
      ['Een vast wijkpanel', '70', 'ja'],
      ['Elk jaar een buurtbudget', '63.63636363636363', 'nee'],
      ['Geen advies zonder uitleg', '', 'nee'],
    ]);
    expect(bySection('evaluatie').map((r) => [r[9], r[10], r[11]])).toEqual([
      ['Ik ben tevreden over deze bijeenkomst.', '3', '4'],
      ['Ik kon zeggen wat ik wilde zeggen.', '3', '3.3'],
      ['Het was duidelijk wat er met onze inbreng gebeurt.', '0', ''],
    ]);
    expect(bySection('opmerking').map((r) => r[9])).toEqual(EVALUATION.remarks);
    expect(bySection('tip of actie').map((r) => r[9])).toEqual(['Tijdig informeren', 'Duidelijke taal']);
  });

  it('has English headers and section names with lang "en"', () => {
    const enRows = parseCsv(renderCsv(fullReport(), 'en').slice(1));
    expect(enRows[0]!.slice(0, 3)).toEqual(['section', 'round', 'theme']);
    expect(new Set(enRows.slice(1).map((r) => r[0]))).toEqual(
      new Set(['point', 'merged', 'top 3', 'result', 'recommendation', 'evaluation', 'remark', 'tip or action']),
    );
  });
});

describe('renderDocx', () => {
  it('is a Word document with the headings, the facts, the lists and every method’s table', async () => {
    const parts = docxParts(await renderDocx(fullReport()));
    expect(Object.keys(parts)).toEqual(
      expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/styles.xml', 'word/numbering.xml', 'docProps/core.xml']),
    );
    const xml = parts['word/document.xml']!;
    const paragraphs = docxParagraphs(xml);
    expect(paragraphs[0]).toBe('Verslag thematafel ‘Samen sterker’');
    expect(paragraphs).toContain('Vraag: Hoe werken we beter samen?');
    expect(paragraphs).toContain('Korte lijnen (2 keer genoemd)');
    expect(paragraphs).toContain('Korte lijntjes met de wijk');
    expect(paragraphs).toContain('Samenwerking · Tafel 1 · Subthema ‘Contact’');
    // The chart of points per theme becomes a table of its numbers; the vote charts' numbers are in the results tables.
    for (const cell of ['Thema', 'Stippen', 'Borda-score', 'Eerste keus', 'Neutraal', 'Steun %', 'Aangenomen', '63,6%', 'Gemiddeld'])
      expect(paragraphs).toContain(cell);
    // Points per theme, 4 votes, recommendations, evaluation, merges, participation (no timeline without events).
    expect(xml.match(/<w:tbl>/g)?.length).toBe(1 + 4 + 1 + 1 + 1 + 1);
    // After the title page, and before each appendix (points, merges, process).
    expect(xml.match(/<w:pageBreakBefore\/>/g)?.length).toBe(4);
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading2"/>');
    expect(parts['docProps/core.xml']).toContain('<dc:title>Verslag thematafel ‘Samen sterker’</dc:title>');
  });

  it('is in English with lang "en"', async () => {
    const texts = docxTexts(docxParts(await renderDocx(fullReport(), 'en'))['word/document.xml']!);
    expect(texts[0]).toBe('Report of theme table ‘Samen sterker’');
    expect(texts).toContain('Tips and actions');
  });
});

describe('escaping, one format at a time', () => {
  it('escapeMarkdown makes links, emphasis, code, HTML and table breaks inert, and no line starts a block', () => {
    expect(escapeMarkdown('**bold** [link](http://x)')).toBe('\\*\\*bold\\*\\* \\[link\\](http://x)');
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('a | b ~~c~~ `d` _e_ \\')).toBe('a \\| b \\~\\~c\\~\\~ \\`d\\` \\_e\\_ \\\\');
    expect(escapeMarkdown('# kop')).toBe('\\# kop');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+1')).toBe('\\+1');
    expect(escapeMarkdown('=== ')).toBe('\\===');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('  a \n\n# b\t c ')).toBe('a # b c');
    expect(escapeMarkdown('&lt;')).toBe('&amp;lt;');
  });

  it('escapeHtml escapes markup and quotes', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)> "q" \'s\' & co')).toBe('&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &#39;s&#39; &amp; co');
  });

  it('csvCell quotes per RFC 4180 and makes formulas inert', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1+1')).toBe("'\t=1+1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(null)).toBe('');
  });

  it('cleanText drops control characters and lone surrogates, and makes one line', () => {
    expect(cleanText('a\u0000b\u0007c\u001Fd')).toBe('a b c d');
    expect(cleanText('x\uD800y')).toBe('x\uFFFDy');
    expect(cleanText('😀 ok')).toBe('😀 ok');
    expect(cleanText(' one\r\ntwo\t ')).toBe('one two');
  });

  it('the SVG chart escapes labels, shortens long ones and scales bars to the largest', () => {
    const svg = barChartSvg({
      title: 'T <x>',
      max: 10,
      bars: [
        { label: '<script>alert(1)</script>', value: 10, text: '10' },
        { label: 'Een heel lang punt dat veel te lang is voor de kolom met namen', value: 5, text: '5' },
      ],
    });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('aria-label="T &lt;x&gt;"');
    expect(svg).toMatch(/>Een heel lang punt dat veel te lang i…</);
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBe(2 * widths[1]!);
  });
});

describe('hostile text stays text in every format (pure)', () => {
  const HOSTILE = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '**bold** [link](http://x)', '=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1)'];
  const hostileReport = () => {
    const points = HOSTILE.map((text, i) => ({ id: `h${i}`, text, theme: i % 2 ? 'communicatie' : 'c1' }));
    return buildReport(
      input({
        session: {
          ...input().session,
          title: '<script>alert(1)</script>',
          question: '=HYPERLINK("http://x")',
          place: '**bold** [link](http://x)',
          decides: '@SUM(A1)',
        },
        boards: new Map([
          [1, board(points, { clusters: [{ id: 'c1', theme: 'participatie', round: 'r1', label: '\t=cmd|calc' }], tops: { r1: ['h0', 'h1'] } })],
        ]),
        votes: [
          reportVote(
            stored('dots', { budget: 3, items: HOSTILE.map((text, i) => ({ id: `h${i}`, table: 1, theme: 'communicatie', text })) }),
            { totals: Object.fromEntries(HOSTILE.map((_, i) => [`h${i}`, i])), ballots: 1 },
            ctx,
          ),
        ],
        notes: HOSTILE,
        evaluations: [{ ...EVALUATION, remarks: HOSTILE }],
      }),
    );
  };

  it('Markdown: no HTML, no live link, no emphasis', () => {
    for (const lang of ['nl', 'en'] as const) {
      const md = renderMarkdown(hostileReport(), lang);
      expect(md).not.toMatch(/<\s*(script|img)/i);
      expect(md).not.toMatch(/(^|[^\\])\]\(/m);
      expect(md).not.toContain('**bold**');
      expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(md).toContain('\\*\\*bold\\*\\* \\[link\\](http://x)');
    }
  });

  it('HTML: every text escaped', () => {
    const html = renderHtml(hostileReport());
    expect(html).not.toMatch(/<\s*(script|img)/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)');
  });

  it('CSV: no cell starts a formula', () => {
    const rows = parseCsv(renderCsv(hostileReport()).slice(1));
    const cells = rows.flat();
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(cells).toEqual(expect.arrayContaining(['\'=HYPERLINK("http://x")', "'+1", "'-1", "'@SUM(A1)", "'\t=cmd|calc"]));
  });

  it('Word: only plain text runs, no fields or links', async () => {
    const xml = docxParts(await renderDocx(hostileReport()))['word/document.xml']!;
    expect(xml).not.toMatch(/<w:hyperlink|<w:fldSimple|<w:instrText|<w:fldChar|<script|<img/);
    const texts = docxTexts(xml).join('\n');
    for (const h of HOSTILE) expect(texts).toContain(h);
    expect(texts).toContain('=cmd|calc');
  });

  it('the outline carries the texts unchanged; only renderers escape', () => {
    const texts = JSON.stringify(reportOutline(hostileReport(), 'nl'));
    for (const h of HOSTILE) expect(texts).toContain(JSON.stringify(h).slice(1, -1));
  });
});

describe('the main text, as seed report 001 reads', () => {
  const main = (md: string) => md.slice(md.indexOf('## Wat er naar voren kwam'), md.indexOf('## Top 3 per tafel'));

  it('says a point that two tables made in the same words once, with how many tables raised it', () => {
    const base = input();
    const boards = new Map(base.boards);
    boards.set(3, board([{ id: 'c1', text: 'Eerder informeren!' }]));
    const md = renderMarkdown(buildReport({ ...base, boards }));
    expect(main(md)).toContain('### Communicatie\n\n- Eerder informeren (genoemd aan 2 tafels)\n- Nieuwsbrief op papier');
    // The appendix keeps both, each at its own table.
    expect(md).toContain('**Communicatie · Tafel 3**\n\n- Eerder informeren!');
  });

  it('counts points the room merged on the plenary board as one', () => {
    const report = fullReport();
    report.plenary = {
      themes: [
        {
          id: 'communicatie',
          label: 'Communicatie',
          points: [{ text: 'Eerder informeren', count: 2, tables: [1, 2], merged: ['Nieuwsbrief op papier'], cluster: null }],
        },
      ],
      hidden: 0,
    };
    expect(main(renderMarkdown(report))).toContain('- Eerder informeren (genoemd aan 2 tafels)\n- Uit een ronde die er niet meer is\n');
  });

  it('puts the recommendations first in a burgerberaad', () => {
    const report = fullReport();
    const md = renderMarkdown({ ...report, session: { ...report.session, kind: 'burgerberaad' } });
    expect(md.indexOf('## Adviezen')).toBeGreaterThan(0);
    expect(md.indexOf('## Adviezen')).toBeLessThan(md.indexOf('## Wat er naar voren kwam'));
    expect(md).toContain('| Advies | Steun % | Nodig | Aangenomen | Voor | Tegen | Neutraal |');
    expect(md).toContain('Neutrale stemmen staan apart. Ze tellen niet mee voor het percentage steun.');
  });
});

describe("the organiser's edits", () => {
  const EDITS = ReportEdits.parse({
    organisation: 'Gemeente Voorbeeld',
    introduction: 'Eerste alinea.\r\n\r\nTweede alinea.',
    summary: 'Kort gezegd: samen.',
    themeOrder: ['participatie'],
    themeLabels: { samenwerking: 'Samen werken' },
    points: { '1-a1': { text: 'Informeer bewoners eerder' }, '2-b1': { omit: true } },
    pointOrder: { samenwerking: ['1-a3', '1-a4'] },
  });
  const edited = (): Report => ({ ...fullReport(), edits: EDITS });
  const md = renderMarkdown(edited());
  const mainText = md.slice(0, md.indexOf('## Bijlage'));

  it('writes the introduction, the summary and the organisation into the report', () => {
    expect(md.split('\n').slice(0, 3)).toEqual(['# Verslag thematafel ‘Samen sterker’', '', 'Gemeente Voorbeeld · 14 maart 2025 · Buurthuis De Kroon']);
    expect(md).toContain('## Inleiding\n\nEerste alinea.\n\nTweede alinea.\n\n- **Vraag:**');
    expect(md).toContain('## Samenvatting\n\nKort gezegd: samen.');
  });

  it('rewords, leaves out, orders and renames in the main text, and uses those words everywhere in it', () => {
    expect(mainText.indexOf('### Participatie')).toBeLessThan(mainText.indexOf('### Communicatie'));
    expect(mainText).toContain('### Samen werken\n\n- Vaste contactpersoon\n- Korte lijnen (2 keer genoemd)');
    expect(mainText).toContain('### Communicatie\n\n- Informeer bewoners eerder\n- Uit een ronde die er niet meer is');
    expect(mainText).not.toContain('Nieuwsbrief op papier\n');
    // The vote and the tops say the point the way the main text does.
    expect(mainText).toContain('| 2 (gelijk) | Informeer bewoners eerder | 1 | Communicatie | 4 |');
    expect(mainText).toContain('| 1 | Korte lijnen | 1 | Samen werken | 6 |');
    expect(mainText).toContain('1. Korte lijnen (Samen werken)\n2. Informeer bewoners eerder (Communicatie)');
  });

  it('keeps the originals in the appendix, marked, and lists every change under "Redactie"', () => {
    expect(md).toContain('- Eerder informeren (herschreven in het verslag)\n  - In de hoofdtekst: ‘Informeer bewoners eerder’');
    expect(md).toContain('- Nieuwsbrief op papier (niet in de hoofdtekst)');
    const redactie = md.slice(md.indexOf('### Redactie'), md.indexOf('### Zo bleef iedereen anoniem'));
    expect(redactie).toBe(
      [
        '### Redactie',
        '',
        'Na de bijeenkomst heeft de organisatie het verslag bewerkt. Dit is er veranderd:',
        '',
        '- De organisatie schreef de inleiding.',
        '- De organisatie schreef de samenvatting.',
        '- Het thema ‘Samenwerking’ heet in dit verslag ‘Samen werken’.',
        '- De volgorde van de thema’s is veranderd.',
        '- De volgorde van de punten bij ‘Samen werken’ is veranderd.',
        '- Herschreven: ‘Eerder informeren’ werd ‘Informeer bewoners eerder’.',
        '- Niet in de hoofdtekst: ‘Nieuwsbrief op papier’. Dit punt staat wel in de bijlage.',
        '',
        '',
      ].join('\n'),
    );
    expect(renderMarkdown(fullReport())).toContain('### Redactie\n\nHet verslag is niet bewerkt. Het geeft weer wat de tafels schreven.');
  });

  it('edits reach Word, HTML and CSV too', async () => {
    const texts = docxTexts(docxParts(await docxOf(reportOutline(edited(), 'nl')))['word/document.xml']!);
    for (const line of ['Gemeente Voorbeeld', 'Eerste alinea.', 'Tweede alinea.', 'Kort gezegd: samen.', 'Samen werken', 'Informeer bewoners eerder'])
      expect(texts).toContain(line);
    const html = renderHtml(edited());
    expect(html).toContain('<h3>Samen werken</h3>');
    expect(html).toContain('<p class="cover-line">Gemeente Voorbeeld · 14 maart 2025 · Buurthuis De Kroon</p>');
    // The CSV is the record (originals, the renamed theme) with the edits beside it.
    const rows = parseCsv(renderCsv(edited()).slice(1));
    expect(rows[0]!.slice(-2)).toEqual(['tekst in verslag', 'niet in hoofdtekst']);
    expect(rows.find((r) => r[0] === 'punt' && r[9] === 'Eerder informeren')!.slice(-2)).toEqual(['Informeer bewoners eerder', '']);
    expect(rows.find((r) => r[0] === 'punt' && r[9] === 'Nieuwsbrief op papier')!.slice(-2)).toEqual(['', 'ja']);
    expect(rows.some((r) => r[2] === 'Samen werken')).toBe(true);
  });

  it('the public version has no per-table breakdown, no evaluation remarks and no originals', () => {
    const pub = renderMarkdown(edited(), 'nl', 'public');
    expect(pub).toContain('> Openbare versie.');
    expect(pub).not.toContain('Eerder informeren');
    expect(pub).not.toContain('## Top 3 per tafel');
    expect(pub).not.toContain('Bijlage: alle punten');
    expect(pub).not.toContain('Wat kan beter?');
    expect(pub).not.toContain('Meer tijd voor de adviezen');
    expect(pub).not.toContain('### Deelname per tafel');
    expect(pub).toContain('| Plaats | Punt | Thema | Stippen |');
    expect(pub).not.toMatch(/\| Tafel \|/);
    expect(pub).toContain('- 1 punt is herschreven, zodat het beter te lezen is.\n- 1 punt staat niet in de hoofdtekst.');
    const rows = parseCsv(renderCsv(edited(), 'nl', 'public').slice(1));
    expect(rows.flat()).not.toContain('Eerder informeren');
    // Left out of the main text: not among the points (a vote's results still name what was voted on).
    expect(rows.some((r) => r[0] === 'punt' && r[9] === 'Nieuwsbrief op papier')).toBe(false);
    expect(rows.filter((r) => r[0] !== 'onderdeel').every((r) => r[4] === '')).toBe(true);
    expect(rows.some((r) => r[0] === 'top 3' || r[0] === 'opmerking')).toBe(false);
  });

  it('the edits schema refuses what it cannot place, and fills in defaults', () => {
    expect(ReportEdits.parse({})).toEqual(NO_EDITS);
    expect(hasEdits(NO_EDITS)).toBe(false);
    expect(hasEdits(EDITS)).toBe(true);
    for (const bad of [
      { points: { 'geen-tafel': { omit: true } } },
      { points: { '1-a1': { text: '' } } },
      { points: { '1-a1': { omit: false } } },
      { themeLabels: { samenwerking: 'x'.repeat(61) } },
      { introduction: 'x'.repeat(5001) },
      { extra: true },
      { pointOrder: { 'a b': [] } },
    ]) {
      expect(ReportEdits.safeParse(bad).success, JSON.stringify(bad).slice(0, 60)).toBe(false);
    }
  });
});

describe('checkLogo', () => {
  const png = fs.readFileSync(new URL('./fixtures/logo.png', import.meta.url));
  const jpg = fs.readFileSync(new URL('./fixtures/logo.jpg', import.meta.url));

  /** A PNG with a given header, every checksum right (so only the size can be wrong). */
  function pngOf(width: number, height: number): Buffer {
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(12 + data.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([8, 0, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(height * (width + 1)))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }

  it('takes a whole PNG or JPEG and reads its size from the image', () => {
    expect(checkLogo(png)).toMatchObject({ ok: true, logo: { mime: 'image/png', width: 320, height: 96 } });
    expect(checkLogo(jpg)).toMatchObject({ ok: true, logo: { mime: 'image/jpeg', width: 320, height: 96 } });
    expect(checkLogo(pngOf(2, 1))).toMatchObject({ ok: true, logo: { width: 2, height: 1 } });
  });

  it('refuses anything else: damaged, cut off, another type, too large', () => {
    const damaged = Buffer.from(png);
    damaged[40] = damaged[40]! ^ 0xff;
    const refused = [
      damaged,
      png.subarray(0, png.length - 20),
      Buffer.concat([png, Buffer.from('<script>')]),
      jpg.subarray(0, jpg.length - 2),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
      Buffer.from('GIF89a'),
      Buffer.alloc(0),
      pngOf(4001, 10),
      Buffer.concat([png, Buffer.alloc(LOGO_LIMITS.bytes)]),
    ];
    for (const data of refused) expect(checkLogo(data).ok).toBe(false);
  });
});
