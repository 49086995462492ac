/**
 * Points that may say the same thing, for the facilitator to merge: within a table, across
 * tables and across rounds. Offline and pure (no I/O, no network), so the browser and the server
 * run the same code.
 *
 * Method, in order:
 * 1. Normalise: lower case, accents off ("ideeën" → "ideeen"), a possessive or plural "’s" off
 *    ("bo’s" → "bo"), then words are runs of letters and digits ("2x" stays one word). A word of
 *    one letter is dropped ("b.v." is not two words); a number of one digit is kept.
 * 2. Clauses: punctuation splits a point into clauses, so a list such as "Vroeg, tijdig,
 *    duidelijk" makes no word pairs that were never written side by side.
 * 3. Stop words off: Snowball's Dutch list (@orama/stopwords) plus a few prepositions and
 *    abbreviations it lacks ("tussen", "vanuit", "mee", "bv", "ikv"). Negations ("niet", "geen",
 *    "nooit", "zonder", "niets") are not dropped but mark the next word, so "Geen parkeren op het
 *    plein" and "Parkeren op het plein" share only "plein"; "niet alleen" (not only) marks nothing.
 * 4. Stems: the Dutch Snowball stemmer (@orama/stemmers), then one derivation it leaves apart
 *    and that is everywhere in policy Dutch: verbs on -eren and their nouns on -atie
 *    ("communiceren", "communiceert", "communicatie" → "communicer").
 * 5. Features: each stem, plus each pair of neighbouring stems in a clause (after the stop words
 *    are gone, in alphabetical order so "bewoners eerder informeren" and "eerder bewoners
 *    informeren" share theirs). A shared pair is a shared phrase: stronger evidence than two
 *    shared words. A pair weighs 0.7 of a word, so its square in the cosine, about half: two
 *    points with the same words in other phrases still score high.
 * 6. Weights: IDF over the points given, ln((n + 10) / df), with binary term frequency (a point
 *    of ten words that repeats one is not about it twice as much). Words in most points, such as
 *    "gemeente" or "bewoners" in a session about the municipality, weigh little. The 10 extra
 *    points that share no word keep a small set from calling every shared word common: with two
 *    points, a shared word still weighs 0.72 of one that is not shared.
 * 7. Score: cosine similarity of the weighted vectors; equal texts score 1. Weighted Jaccard
 *    was measured too: on the seed-001 points both rank the pairs alike and part them about as
 *    well (the lower inexact duplicate against the highest unrelated pair past the guards: cosine
 *    0.24 against 0.13, Jaccard 0.16 against 0.10). Cosine is kept because it is gentler to a
 *    short point that a longer one contains: two words found among six score 2/√(2·6) = 0.58
 *    by cosine, 2/6 = 0.33 by Jaccard (equal weights, no pairs), and people at another table
 *    often write the same point with a few words more.
 * 8. Guards: a pair must share two stems, or every stem of the shorter point. One shared word
 *    is a shared subject, not a shared point ("Meer groen in de wijk", "Meer parkeerplaatsen in
 *    de wijk"); without this guard the threshold would have to be higher and would miss the
 *    duplicates that share two or three words among several. And a pair in which one point
 *    negates a stem the other has plain ("Geen hoogbouw aan de rand van het park", "Hoogbouw aan
 *    de rand van het park") takes opposite sides, however many words it shares: never suggested.
 *
 * Left out: a character n-gram fallback for spelling variants ("Sparingpartner" /
 * "sparringpartner"). With the -eren/-atie step it found no further pair of the seed-001
 * points, raised the unrelated pairs' scores, and makes every point some 40 features more.
 *
 * Speed: each text is tokenised and stemmed once (a word is stemmed once per call), features
 * become integer ids, and the pairs are scored through an inverted index, one point at a time
 * against the points before it, so only pairs that share a feature are touched.
 */
import { stemmer } from '@orama/stemmers/dutch';
import { stopwords } from '@orama/stopwords/dutch';

export interface SimilarityInput {
  id: string;
  text: string;
}

/** Two points that may say the same thing: `a` is the earlier in the input, `b` the later. */
export interface DuplicateSuggestion {
  a: string;
  b: string;
  /** Cosine similarity in [0, 1], to two decimals. */
  score: number;
}

export interface SuggestOptions {
  /** Lowest score suggested; SIMILARITY_THRESHOLD unless given. */
  threshold?: number;
  /** Pair keys (pairKey) not to suggest: dismissed, or already merged. */
  skip?: ReadonlySet<string>;
  /** Which pairs may be suggested at all, e.g. only across tables; called with `a` before `b` in the input. */
  pairs?: (a: SimilarityInput, b: SimilarityInput) => boolean;
}

/**
 * The default cut-off. On the seed-001 points (test/similarity.test.ts) the duplicates that are
 * not word for word score 0.24 and 0.31 and the highest unrelated pair that passes the guard
 * 0.13; 0.2 is between them. It is low for a cosine because the guard (two shared stems) has
 * already taken out the pairs that share one word, which are most of the pairs in 0.2 to 0.5.
 */
export const SIMILARITY_THRESHOLD = 0.2;

/** Order-independent key of a pair, for dismissed pairs: `${min}|${max}`. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Weight of a pair of neighbouring stems against a single stem's. */
const PAIR_WEIGHT = 0.7;
/** Points added to the IDF's count that share no word with any point (see the module comment). */
const IDF_PRIOR_POINTS = 10;

/** Snowball's list, plus pronouns, prepositions, adverbs and abbreviations it lacks that say nothing about the point. */
const STOP_WORDS: ReadonlySet<string> = new Set([
  ...stopwords,
  'alleen',
  'bijv',
  'bijvoorbeeld',
  'binnen',
  'bv',
  'daarbij',
  'daarom',
  'dwz',
  'elkaar',
  'enz',
  'etc',
  'ikv',
  'jouw',
  'jullie',
  'mbt',
  'mee',
  'oa',
  'onze',
  'per',
  'sommige',
  'tussen',
  'vanuit',
  'via',
  'waar',
  'wanneer',
  'wel',
  'welke',
  'zoals',
]);
/** Words that turn the next word round; kept apart from the stop words (Snowball's list has most of them). */
const NEGATIONS: ReadonlySet<string> = new Set(['geen', 'niet', 'niets', 'nooit', 'zonder']);
/** After a negation, these make "not only" ("niet alleen … maar ook"), which turns nothing round. */
const ONLY: ReadonlySet<string> = new Set(['alleen', 'enkel', 'slechts', 'uitsluitend']);
/** Marks a negated stem, and stands alone for a negation with no word after it in its clause. */
const NEGATED = '!';

const CLAUSE_BREAK = /[.,;:!?()[\]{}"“”„«»•·\n\r\t/|]+|\s[-–—]\s/u;
const NON_WORD = /[^\p{L}\p{N}]+/u;
const POSSESSIVE_S = /(\p{L})['’‘`]s(?![\p{L}\p{N}])/gu;
const MARKS = /\p{M}+/gu;
const DIGIT = /\p{N}/u;

/** Lower case, accents off, "’s" off: what the word splitting sees. */
function normalise(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(MARKS, '').replace(POSSESSIVE_S, '$1');
}

function wordsOf(clause: string): string[] {
  return clause.split(NON_WORD).filter((w) => w.length > 1 || (w.length === 1 && DIGIT.test(w)));
}

/** Snowball's stem, with the -eren verbs and their -atie nouns brought together (see the module comment). */
function dutchStem(word: string): string {
  if (DIGIT.test(word)) return word;
  let stem = stemmer(word);
  if (stem.endsWith('aties')) stem = stem.slice(0, -1);
  if (stem.length >= 8 && stem.endsWith('atie')) return `${stem.slice(0, -4)}er`;
  if (stem.length >= 7 && stem.endsWith('eert')) return `${stem.slice(0, -4)}er`;
  if (stem.length >= 9 && stem.startsWith('ge') && stem.endsWith('eerd')) return `${stem.slice(2, -4)}er`;
  return stem;
}

interface Analysed {
  /** Distinct stems (negated ones with NEGATED in front). */
  stems: string[];
  /** Distinct pairs of neighbouring stems, each as "x y" with x < y. */
  pairs: string[];
}

/** Stems per clause, stop words off, negations folded into the stem after them. */
function analyse(text: string, stemOf: (word: string) => string): Analysed {
  const stems = new Set<string>();
  const pairs = new Set<string>();
  let stopOnly: string[] = [];
  for (const clause of normalise(text).split(CLAUSE_BREAK)) {
    const words = wordsOf(clause);
    if (words.length === 0) continue;
    stopOnly = stopOnly.concat(words);
    let negated = false;
    let previous: string | null = null;
    for (const word of words) {
      if (NEGATIONS.has(word)) {
        negated = true;
        continue;
      }
      if (negated && ONLY.has(word)) negated = false;
      if (STOP_WORDS.has(word)) continue;
      const stem = negated ? NEGATED + stemOf(word) : stemOf(word);
      negated = false;
      stems.add(stem);
      if (previous !== null && previous !== stem) pairs.add(previous < stem ? `${previous} ${stem}` : `${stem} ${previous}`);
      previous = stem;
    }
    if (negated) stems.add(NEGATED);
  }
  // A point of stop words alone ("Ja, dat wel") still matches its own copy, through its words as written.
  if (stems.size === 0) for (const word of stopOnly) stems.add(`=${word}`);
  return { stems: [...stems], pairs: [...pairs] };
}

/** A stemmer that stems each word once per call: points repeat their words. */
function cachedStemmer(): (word: string) => string {
  const cache = new Map<string, string>();
  return (word) => {
    let stem = cache.get(word);
    if (stem === undefined) {
      stem = dutchStem(word);
      cache.set(word, stem);
    }
    return stem;
  };
}

/** The features a point is compared on: its stems, then its pairs of neighbouring stems ("x y"). */
export function termsOf(text: string): string[] {
  const { stems, pairs } = analyse(text, dutchStem);
  return [...stems, ...pairs];
}

interface Vectors {
  /** Per point, its feature ids: stems first, then pairs. */
  terms: Int32Array[];
  /** Per point, the weights of those features, to unit length. */
  weights: Float64Array[];
  /** Per point, how many of its features are stems. */
  stemCounts: Int32Array;
  /** How many features there are in all. */
  features: number;
  /** Per point, the ids of the stems that say the opposite of one of its own ("!x" for its "x", and back). */
  opposites: Int32Array[];
}

/** Each text analysed once, its features made integer ids and weighted by IDF over these texts. */
function vectorise(texts: readonly string[]): Vectors {
  const n = texts.length;
  const stemOf = cachedStemmer();
  const ids = new Map<string, number>();
  const isPair: boolean[] = [];
  const df: number[] = [];
  const stemNames: string[] = [];
  const idOf = (term: string, pair: boolean) => {
    let id = ids.get(term);
    if (id === undefined) {
      id = df.length;
      ids.set(term, id);
      df.push(0);
      isPair.push(pair);
      stemNames.push(pair ? '' : term);
    }
    df[id]!++;
    return id;
  };
  const terms: Int32Array[] = [];
  const stemCounts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const { stems, pairs } = analyse(texts[i]!, stemOf);
    terms.push(Int32Array.from([...stems.map((t) => idOf(t, false)), ...pairs.map((t) => idOf(t, true))]));
    stemCounts[i] = stems.length;
  }
  const idf = df.map((d) => Math.log((n + IDF_PRIOR_POINTS) / d));
  const weights = terms.map((row) => {
    const w = Float64Array.from(row, (id) => (isPair[id] ? PAIR_WEIGHT : 1) * idf[id]!);
    let norm = 0;
    for (const x of w) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < w.length; k++) w[k]! /= norm;
    return w;
  });
  const opposites = terms.map((row, i) => {
    const out: number[] = [];
    for (let k = 0; k < stemCounts[i]!; k++) {
      const stem = stemNames[row[k]!]!;
      const opposite = ids.get(stem.startsWith(NEGATED) ? stem.slice(NEGATED.length) : NEGATED + stem);
      if (opposite !== undefined) out.push(opposite);
    }
    return Int32Array.from(out);
  });
  return { terms, weights, stemCounts, features: df.length, opposites };
}

/**
 * The cosine of two texts compared as if they were the only two points (so with little IDF to
 * go on), without the guard of suggestDuplicates.
 */
export function similarity(a: string, b: string): number {
  const { terms, weights } = vectorise([a, b]);
  const other = new Map<number, number>();
  terms[1]!.forEach((id, k) => other.set(id, weights[1]![k]!));
  let dot = 0;
  terms[0]!.forEach((id, k) => (dot += weights[0]![k]! * (other.get(id) ?? 0)));
  return round2(dot);
}

const round2 = (x: number) => Math.min(1, Math.round(x * 100) / 100);

interface Found {
  i: number;
  j: number;
  score: number;
}

/**
 * Pairs of points that may say the same thing, best first (ties in input order of `a`, then
 * `b`). A point without a word (empty, or only punctuation) is never suggested.
 */
export function suggestDuplicates(points: readonly SimilarityInput[], options: SuggestOptions = {}): DuplicateSuggestion[] {
  const threshold = options.threshold ?? SIMILARITY_THRESHOLD;
  const n = points.length;
  if (n < 2) return [];
  const { terms, weights, stemCounts, features, opposites } = vectorise(points.map((p) => p.text));
  const opposed = (i: number, j: number) => opposites[i]!.some((id) => terms[j]!.subarray(0, stemCounts[j]).includes(id));

  // Each point against the points before it, through the postings of its features: a pair that
  // shares no feature is never looked at. The postings are one flat array, each feature's slice
  // sized by its document frequency, filled as the points go by.
  const start = new Int32Array(features + 1);
  for (const row of terms) for (const id of row) start[id + 1]!++;
  for (let id = 0; id < features; id++) start[id + 1]! += start[id]!;
  const filled = start.slice(0, features);
  const postingPoints = new Int32Array(start[features]!);
  const postingWeights = new Float64Array(start[features]!);
  const dot = new Float64Array(n);
  const sharedStems = new Int32Array(n);
  const touched: number[] = [];
  const found: Found[] = [];
  for (let j = 0; j < n; j++) {
    const row = terms[j]!;
    const w = weights[j]!;
    const stems = stemCounts[j]!;
    for (let k = 0; k < row.length; k++) {
      const id = row[k]!;
      const wk = w[k]!;
      const end = filled[id]!;
      for (let p = start[id]!; p < end; p++) {
        const i = postingPoints[p]!;
        if (dot[i] === 0) touched.push(i);
        dot[i]! += wk * postingWeights[p]!;
        if (k < stems) sharedStems[i]!++;
      }
      postingPoints[end] = j;
      postingWeights[end] = wk;
      filled[id] = end + 1;
    }
    for (const i of touched) {
      const score = dot[i]!;
      const shared = sharedStems[i]!;
      dot[i] = 0;
      sharedStems[i] = 0;
      if (score < threshold || (shared < 2 && shared < Math.min(stemCounts[i]!, stems)) || opposed(i, j)) continue;
      found.push({ i, j, score });
    }
    touched.length = 0;
  }

  const kept: Found[] = [];
  for (const f of found) {
    const a = points[f.i]!;
    const b = points[f.j]!;
    if (a.id === b.id || options.skip?.has(pairKey(a.id, b.id)) || (options.pairs && !options.pairs(a, b))) continue;
    kept.push({ ...f, score: round2(f.score) });
  }
  kept.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  return kept.map(({ i, j, score }) => ({ a: points[i]!.id, b: points[j]!.id, score }));
}
