/**
 * The duplicate suggester (shared/similarity.ts): a golden test on the points of seed report 001,
 * hand-computed small cases, and Dutch points that look alike but say different things.
 */
import { describe, expect, it } from 'vitest';
import { pairKey, similarity, SIMILARITY_THRESHOLD, suggestDuplicates, termsOf, type SimilarityInput } from '../shared/similarity.js';
import { ROUNDS_001, textOf } from './fixtures/thematafel001.js';

interface SeedPoint extends SimilarityInput {
  round: 1 | 2;
  table: 1 | 2;
}

/** Every point of both rounds at both tables, in the order written, the hidden "parkeren" too (it is unrelated to all). */
const SEED: SeedPoint[] = ([1, 2] as const).flatMap((round) =>
  ([1, 2] as const).flatMap((table) => ROUNDS_001[round][table].map((p) => ({ id: p.key, text: p.text, round, table }))),
);

/** The pairs a facilitator would merge, from reading the texts. */
const GOLDEN: Record<string, string> = {
  [pairKey('regulier', 'regulier2')]: 'the same line, at table 2 in round 1 and at table 1 in round 2',
  [pairKey('vooraf', 'vooraf2')]: 'the same line, at table 2 in both rounds',
  [pairKey('vooraf', 'vooraf2dup')]: 'the same line, once more with its bracket left open (the report doubled it)',
  [pairKey('vooraf2', 'vooraf2dup')]: 'the same line at the same table, one bracket apart',
  [pairKey('tijdig', 'vroeg')]: 'both ask to communicate in time ("Tijdige communicatie", "tijdig … communiceren"); "tijdig handelen" goes along',
  [pairKey('transparant', 'vroeg')]: 'both ask for clear, open communication ("transparante en duidelijke", "duidelijk … open"); "wederzijds" goes along',
};

/**
 * Related but not duplicates, allowed but not required. None: the pairs that come closest are
 * in UNRELATED below and must not be suggested.
 */
const ACCEPTABLE: Record<string, string> = {};

/** Pairs that share words or a subject but make different points: never to be suggested. */
const UNRELATED: Record<string, string> = {
  [pairKey('transparant', 'tijdig')]: 'clear communication against timely communication (and action)',
  [pairKey('brieven', 'vroeg')]: 'a concrete step (share the residents’ letters earlier) against a way of communicating',
  [pairKey('brieven', 'tijdig')]: 'the same concrete step against communicating and acting in time',
  [pairKey('lijntjes', 'vaker')]: 'short lines between the two against more (inspiration) meetings between them',
  [pairKey('brieven', 'vaker')]: 'letters against meetings, both with residents’ organisations and districts',
  [pairKey('aanschuiven', 'klankbord')]: 'officials of other services joining against residents in sounding boards',
  [pairKey('begrip', 'transparant')]: '"wederzijds" understanding against "wederzijds" transparent communication',
  [pairKey('begrip', 'lijntjes')]: '"wederzijds" understanding against "wederzijds" short lines',
  [pairKey('vooraf', 'practice')]: 'think along beforehand against take the outcome seriously (both say "vooraf" and participation)',
  [pairKey('verwachting', 'vroeg')]: 'managing expectations against communicating early (both "duidelijk")',
  [pairKey('gelijkwaardig', 'overzicht')]: 'equal partners against a list of officials (both "wijk", "niet alleen")',
};

const keyOf = (s: { a: string; b: string }) => pairKey(s.a, s.b);

describe('suggestDuplicates on the seed-001 points', () => {
  const suggested = suggestDuplicates(SEED);
  const found = suggested.filter((s) => keyOf(s) in GOLDEN);
  const unrelated = suggested.filter((s) => !(keyOf(s) in GOLDEN) && !(keyOf(s) in ACCEPTABLE));
  const golden = Object.keys(GOLDEN).length;

  it('finds every duplicate and nothing else (precision and recall in the output)', () => {
    const judged = suggested.filter((s) => !(keyOf(s) in ACCEPTABLE)).length;
    const precision = judged === 0 ? 1 : found.length / judged;
    const recall = found.length / golden;
    // The margin: how far the threshold is from the weakest duplicate and from the strongest other pair.
    const all = suggestDuplicates(SEED, { threshold: 0 });
    const weakest = Math.min(...all.filter((s) => keyOf(s) in GOLDEN).map((s) => s.score));
    const strongestOther = Math.max(...all.filter((s) => !(keyOf(s) in GOLDEN)).map((s) => s.score));
    console.log(
      `similarity, seed 001 (${SEED.length} points, threshold ${SIMILARITY_THRESHOLD}): precision ${precision.toFixed(2)} ` +
        `recall ${recall.toFixed(2)} (${found.length} of ${golden} found, ${unrelated.length} unrelated); ` +
        `weakest duplicate ${weakest.toFixed(2)}, strongest other pair past the guards ${strongestOther.toFixed(2)}\n` +
        suggested.map((s) => `  ${s.score.toFixed(2)} ${s.a} ~ ${s.b}`).join('\n'),
    );
    expect(found.map(keyOf).sort()).toEqual(Object.keys(GOLDEN).sort());
    expect(unrelated).toEqual([]);
    expect(weakest).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(strongestOther).toBeLessThan(SIMILARITY_THRESHOLD);
  });

  it('suggests no pair of points that make different points', () => {
    for (const key of Object.keys(UNRELATED)) expect(suggested.map(keyOf), `${key}: ${UNRELATED[key]}`).not.toContain(key);
    expect(suggested.filter((s) => s.a === 'parkeren' || s.b === 'parkeren')).toEqual([]);
  });

  it('scores the lines written twice 1', () => {
    for (const [a, b] of [
      ['regulier', 'regulier2'],
      ['vooraf', 'vooraf2dup'],
    ])
      expect(suggested.find((s) => s.a === a && s.b === b)?.score).toBe(1);
  });

  it('lists the best first, ties in input order, each pair with `a` before `b` in the input', () => {
    const order = new Map(SEED.map((p, i) => [p.id, i]));
    for (const s of suggested) expect(order.get(s.a)!).toBeLessThan(order.get(s.b)!);
    expect(suggested.slice(0, 4).map((s) => `${s.a}~${s.b}`)).toEqual(['regulier~regulier2', 'vooraf~vooraf2', 'vooraf~vooraf2dup', 'vooraf2~vooraf2dup']);
    expect(suggested.map((s) => s.score)).toEqual([...suggested.map((s) => s.score)].sort((x, y) => y - x));
  });

  it('only across tables, with the pairs filter', () => {
    const table = new Map(SEED.map((p) => [p.id, p.table]));
    const across = suggestDuplicates(SEED, { pairs: (a, b) => table.get(a.id) !== table.get(b.id) });
    // "Vooraf meedenken…" was written at table 2 both times, and the communication points all at table 1.
    expect(across.map(keyOf)).toEqual([pairKey('regulier', 'regulier2')]);
    const withinRound = suggestDuplicates(SEED, { pairs: (a, b) => (a as SeedPoint).round === (b as SeedPoint).round });
    expect(withinRound.map(keyOf)).toEqual([pairKey('vooraf2', 'vooraf2dup'), pairKey('tijdig', 'vroeg'), pairKey('transparant', 'vroeg')]);
  });

  it('leaves out dismissed or merged pairs given in skip', () => {
    const skip = new Set([pairKey('vooraf2dup', 'vooraf2'), pairKey('vroeg', 'tijdig')]);
    const left = suggestDuplicates(SEED, { skip });
    expect(left.map(keyOf).sort()).toEqual(
      Object.keys(GOLDEN)
        .filter((k) => !skip.has(k))
        .sort(),
    );
  });

  it('takes the texts as the fixture has them', () => {
    expect(SEED.find((p) => p.id === 'vroeg')?.text).toBe(textOf('vroeg'));
    expect(SEED).toHaveLength(22);
  });
});

describe('similarity, by hand', () => {
  it('scores identical texts 1, whatever their case and punctuation', () => {
    expect(similarity('Meer groen in de wijk', 'Meer groen in de wijk')).toBe(1);
    expect(similarity('Meer groen in de wijk.', 'MEER GROEN IN DE WIJK!')).toBe(1);
    expect(similarity('Ideeën van bewoners serieus nemen', 'ideeen van bewoners serieus nemen')).toBe(1);
  });

  it('ignores differences in stop words only', () => {
    expect(similarity('Meer groen in de wijk', 'Groen in onze wijk')).toBe(1);
    expect(termsOf('Zorg voor het groen in de wijk')).toEqual(termsOf('zorg groen wijk'));
  });

  it('brings Dutch inflection together, and -eren verbs with their -atie nouns', () => {
    expect(termsOf('Tijdige communicatie')).toEqual(termsOf('tijdig communiceren'));
    expect(termsOf('stadsdelen')).toEqual(termsOf('stadsdeel'));
    expect(termsOf('bijeenkomsten')).toEqual(termsOf('bijeenkomst'));
    expect(termsOf('participatie')).toEqual(termsOf('participeert'));
    expect(termsOf('geïnformeerd')).toEqual(termsOf('informatie'));
    expect(similarity('Tijdige communicatie', 'Tijdig communiceren')).toBe(1);
  });

  it('computes the cosine by hand: "Groen in de wijk" against "Groen"', () => {
    // Alone, n = 2: "groen" is in both, df 2, idf ln(12 / 2); "wijk" and the pair "groen wijk"
    // are in one, idf ln(12), the pair weighing 0.7. Cosine = idf(groen) / |groen, wijk, pair|.
    const shared = Math.log(12 / 2);
    const once = Math.log(12);
    const expected = shared / Math.sqrt(shared ** 2 + once ** 2 + (0.7 * once) ** 2);
    expect(expected).toBeCloseTo(0.5086, 4);
    expect(similarity('Groen in de wijk', 'Groen')).toBe(0.51);
    expect(termsOf('Groen in de wijk')).toEqual(['groen', 'wijk', 'groen wijk']);
  });

  it('scores a change of word order high but under 1: the words are shared, one of the two word pairs is not', () => {
    const score = similarity('Eerder informeren van bewoners', 'Bewoners eerder informeren');
    expect(score).toBeGreaterThan(0.7);
    expect(score).toBeLessThan(1);
    expect(
      suggestDuplicates([
        { id: 'a', text: 'Eerder informeren van bewoners' },
        { id: 'b', text: 'Bewoners eerder informeren' },
      ]),
    ).toEqual([{ a: 'a', b: 'b', score }]);
  });

  it('makes word pairs within a clause only, and keeps numbers such as "2x"', () => {
    expect(termsOf('Vroeg, tijdig, duidelijk')).toEqual(['vroeg', 'tijdig', 'duidelijk']);
    expect(termsOf('Minimaal 2x per jaar')).toEqual(['minimal', '2x', 'jar', '2x minimal', '2x jar']);
  });
});

describe('suggestDuplicates, small cases', () => {
  const points = (...texts: string[]): SimilarityInput[] => texts.map((text, i) => ({ id: `p${i}`, text }));

  it('suggests nothing for no point or one point', () => {
    expect(suggestDuplicates([])).toEqual([]);
    expect(suggestDuplicates(points('Meer groen in de wijk'))).toEqual([]);
  });

  it('never suggests an empty or blank text, not even with its own copy', () => {
    expect(suggestDuplicates(points('', '', '   ', ' \n', '...', '?!'), { threshold: 0 })).toEqual([]);
    expect(suggestDuplicates(points('', 'Meer groen in de wijk', '  ', 'Meer groen in de wijk'))).toEqual([{ a: 'p1', b: 'p3', score: 1 }]);
  });

  it('still pairs a text of stop words alone with its copy', () => {
    expect(suggestDuplicates(points('Ja, dat wel', 'Meer bomen', 'ja dat wel'))).toEqual([{ a: 'p0', b: 'p2', score: 1 }]);
  });

  it('skip works whichever way round the pair key was made', () => {
    const three = points('Meer bomen in de straat', 'Meer bomen in onze straat', 'meer bomen in de straat!');
    expect(suggestDuplicates(three)).toHaveLength(3);
    expect(suggestDuplicates(three, { skip: new Set([pairKey('p2', 'p0')]) }).map(keyOf)).toEqual([pairKey('p0', 'p1'), pairKey('p1', 'p2')]);
  });

  it('uses the threshold given', () => {
    const two = points('Vaker overleg met de wijkraad', 'Regelmatig overleg met de wijkraad');
    const [pair] = suggestDuplicates(two, { threshold: 0 });
    expect(pair!.score).toBeGreaterThan(SIMILARITY_THRESHOLD);
    expect(suggestDuplicates(two, { threshold: pair!.score })).toHaveLength(1);
    expect(suggestDuplicates(two, { threshold: pair!.score + 0.01 })).toEqual([]);
  });

  it('does not pair a point with another of the same id', () => {
    expect(
      suggestDuplicates([
        { id: 'x', text: 'Meer groen' },
        { id: 'x', text: 'Meer groen' },
      ]),
    ).toEqual([]);
  });
});

describe('Dutch points that look alike but say different things', () => {
  /** Each pair among the seed-001 points, as in a session, and alone. */
  const suggestedWith = (a: string, b: string) => [
    ...suggestDuplicates([...SEED, { id: 'x', text: a }, { id: 'y', text: b }]).filter((s) => s.a === 'x' && s.b === 'y'),
    ...suggestDuplicates([
      { id: 'x', text: a },
      { id: 'y', text: b },
    ]),
  ];

  it.each([
    ['Meer groen in de wijk', 'Meer parkeerplaatsen in de wijk'],
    ['Meer bankjes in het park', 'Meer vuilnisbakken in het park'],
    ['Meer bomen in de straat', 'Meer laadpalen in de straat'],
    ['Vaker bijeenkomsten in de wijk', 'Beleg informatiebijeenkomsten in de wijk'],
  ])('one shared word is a subject, not a point: "%s" / "%s"', (a, b) => {
    expect(suggestedWith(a, b)).toEqual([]);
  });

  it.each([
    ['Geen hoogbouw aan de rand van het park', 'Hoogbouw aan de rand van het park'],
    ['Parkeren bij het stadhuis is te duur', 'Parkeren bij het stadhuis is niet te duur'],
    ['Nooit meer afval ophalen op zondag', 'Afval ophalen op zondag'],
  ])('a point and its negation take opposite sides: "%s" / "%s"', (a, b) => {
    expect(similarity(a, b)).toBeGreaterThan(SIMILARITY_THRESHOLD);
    expect(suggestedWith(a, b)).toEqual([]);
  });

  it('"niet alleen" is not a negation', () => {
    expect(termsOf('Niet alleen het stadsdeel')).toEqual(termsOf('het stadsdeel'));
  });

  it.each([
    ['Vaker overleg met de wijkraad', 'Regelmatig overleg met de wijkraad'],
    ['Bewoners eerder informeren over plannen', 'Informeer bewoners eerder over de plannen'],
    ['Wederzijds begrip', 'Begrip voor elkaar'],
  ])('but the same point in other words is suggested: "%s" / "%s"', (a, b) => {
    expect(suggestedWith(a, b)).toHaveLength(2);
  });
});
