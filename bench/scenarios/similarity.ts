/**
 * The duplicate suggester (shared/similarity.ts) on the points of a big evening: 300 Dutch
 * points, as the facilitator's browser would compare them all at once. In this process, no
 * server: `suggestDuplicates` runs after a warm-up again and again, timed per run (wall time and
 * process CPU time), and so do two baselines in the same run on the same texts: the bare floor
 * (lower-casing the texts and splitting them into words, which any text method pays) and a
 * naive method (every pair of points compared as sets of lower-cased words, 44,850 pairs).
 *
 * The points are the seed-001 points (test/fixtures/thematafel001.ts, which the bench cannot
 * import: it needs vitest) and other points a municipal evening produces, each taken as written
 * or changed as people at other tables would write the same thing: other case and punctuation,
 * a word left out, two points run together, a "Meer" in front. A fixed seed makes every run
 * compare the same 300 texts.
 */
import { performance } from 'node:perf_hooks';
import { suggestDuplicates, type SimilarityInput } from '../../shared/similarity.js';
import { summarise, type Summary } from '../stats.js';
import { seededRandom } from '../../test/helpers/random.js';

export interface SimilarityOptions {
  points: number;
  /** Timed runs of each method, after `warmup` untimed ones. */
  runs: number;
  warmup: number;
  seed: number;
}

export interface MethodResult {
  wallMs: Summary;
  cpuMs: Summary;
}

export interface SimilarityResult {
  options: SimilarityOptions;
  /** Words in all the points, and distinct texts among them. */
  words: number;
  distinct: number;
  suggestions: number;
  /** The first call in this process, before any warm-up: what the browser pays for its first list. */
  coldMs: number;
  suggester: MethodResult;
  /** Lower-casing and splitting the texts into words: the floor. */
  bare: MethodResult;
  /** Every pair as sets of lower-cased words, no stemming, no index: what the index saves. */
  naive: MethodResult;
}

/** The points of seed report 001, as the fixture has them. */
const SEED_001 = [
  'Wederzijdse transparante en duidelijke communicatie',
  'Tijdige communicatie en tijdig handelen',
  'Vroeg, tijdig, duidelijk, veel en open communiceren',
  'Meer gelijkwaardigheid; bo’s niet alleen zien als vrijwilliger maar als semi-professionals die weten wat er in hun wijk speelt.',
  'Zorg wederzijds voor korte lijntjes. Dit zorgt voor goede samenwerking tussen de bewonersorganisaties en de stadsdelen.',
  'Zorg voor duidelijk verwachtingsmanagement. Wat kan wel en wat kan niet en leg uit waarom.',
  'Erken als iets fout gaat en geef aan hoe dit in de toekomst voorkomen kan worden',
  'Projecten en processen evalueren en iedereen daarbij betrekken en meenemen.',
  'Bewonersbrieven eerder delen met bewoners en bewonersorganisaties, maar ook met de stadsdelen',
  'Regulier contact met het stadsdeel. Minimaal 2x per jaar met de stadsdeeldirecteur om de tafel.',
  'Vooraf meedenken, meepraten en participeren (vanuit beide kanten)',
  'Ambtenaren van andere diensten geregeld laten aanschuiven. Dit gebeurt nu al in sommige stadsdelen (bv Le-Yp)',
  'Bewoners laten deelnemen in klankbordgroepen. Dit gebeurt in Loosduinen ikv de herinrichting van Kijkduin.',
  'Parkeren bij het stadhuis is te duur',
  'Een overzicht van namen van gemeenteambtenaren; wie doet wat in de wijk/stadsdeel. Dus niet alleen stadsdeel, maar ook DSO (b.v. de gebiedsregisseur) en andere diensten.',
  'Sparingpartner van elkaar zijn',
  'Wederzijds begrip',
  'Vaker (inspiratie)bijeenkomsten tussen stadsdelen en bewonersorganisaties beleggen.',
  'Practice what you preach! Dus als de gemeente vooraf aangeeft participatie en inspraak belangrijk te vinden en vraagt aan bewoners(organisaties) om dit te doen, dan moet je ook de uitkomsten serieus nemen en er wat mee doen.',
  'Hoe neem je bewoners mee: tijdig informeren',
  'Duidelijke taal (dus niet te veel vaktaal of te wollig zijn)',
  'Maak begrijpelijke samenvattingen',
  'Beleg informatiebijeenkomsten in de wijk',
  'Gezamenlijk optreden',
];

/** Other points of a municipal evening: green, traffic, waste, safety, young and old, taking part. */
const EVENING = [
  'Meer groen in de wijk',
  'Meer parkeerplaatsen in de wijk',
  'Meer bomen langs de doorgaande wegen',
  'Geveltuinen makkelijker aanvragen',
  'Speeltuinen opknappen en veiliger maken voor jonge kinderen',
  'Een plek voor jongeren om elkaar te ontmoeten, ook in de avond',
  'Minder hard rijden in de woonstraten, meer drempels',
  'Veilige fietsroutes naar school',
  'Betere verlichting in het park en bij de tunnel',
  'Afval vaker ophalen in de zomer',
  'Ondergrondse containers worden niet op tijd geleegd',
  'Zwerfafval rond het winkelcentrum aanpakken',
  'Buurthuis langer open houden, ook in het weekend',
  'Ouderen helpen met digitale zaken bij de gemeente',
  'Een vast aanspreekpunt bij de gemeente voor de wijk',
  'Terugkoppeling geven wat er met onze inbreng is gedaan',
  'Besluiten van de gemeenteraad in begrijpelijke taal uitleggen',
  'Bewoners eerder betrekken bij plannen voor hun straat',
  'Meer ruimte voor bewonersinitiatieven en een eenvoudig budget',
  'Wijkagent vaker zichtbaar op straat',
  'Overlast van scooters op de stoep aanpakken',
  'Bankjes langs de wandelroutes voor ouderen',
  'Het gemeentehuis beter bereikbaar met het openbaar vervoer',
  'Laadpalen voor elektrische auto’s in elke straat',
  'Zonnepanelen op de daken van scholen en sporthallen',
  'Hulp bij het isoleren van oude huurwoningen',
  'Betaalbare woningen voor starters in het dorp',
  'Geen hoogbouw aan de rand van het park',
  'Burgerberaad over de energietransitie organiseren',
  'Loting gebruiken zodat ook jongeren meedoen',
  'Vergaderingen op tijden dat werkende mensen kunnen',
  'Informatie ook op papier voor wie niet online is',
  'Nieuwsbrief van de gemeente korter en vaker',
  'Wijkraden meer zeggenschap geven over het wijkbudget',
  'Snel reageren op meldingen in de openbare ruimte',
  'Mensen met een beperking betrekken bij het ontwerp van de straat',
  'Honden uitlaatplekken duidelijk aangeven',
  'Meer vuilnisbakken in het park',
  'Een jaarlijks buurtfeest met steun van de gemeente',
  'Vrijwilligers waarderen en ondersteunen',
];

const PREFIXES = ['Meer ', 'Graag ', 'Zorg voor ', 'Belangrijk: '];

/** `count` points: a third as written, the rest changed the way another table would write them. */
export function eveningPoints(count: number, seed: number): SimilarityInput[] {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const pool = [...SEED_001, ...EVENING];
  const points: SimilarityInput[] = [];
  for (let i = 0; i < count; i++) {
    let text = pick(pool);
    const change = rand();
    if (change < 0.33) {
      // As written.
    } else if (change < 0.5) {
      text = text.toLowerCase().replace(/[.!]$/u, '');
    } else if (change < 0.65) {
      const words = text.split(' ');
      if (words.length > 3) words.splice(1 + Math.floor(rand() * (words.length - 2)), 1);
      text = words.join(' ');
    } else if (change < 0.8) {
      text = `${pick(PREFIXES)}${text[0]!.toLowerCase()}${text.slice(1)}`;
    } else if (change < 0.9) {
      text = `${text.replace(/[.!]$/u, '')}. ${pick(pool)}`;
    } else {
      text = `${text}!`.toUpperCase();
    }
    points.push({ id: `p${String(i).padStart(3, '0')}`, text });
  }
  return points;
}

/** The floor: what splitting the texts into words costs. */
function bare(points: readonly SimilarityInput[]): number {
  let words = 0;
  for (const p of points)
    words += p.text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean).length;
  return words;
}

/** Every pair compared as sets of lower-cased words (Jaccard), without an index. */
function naive(points: readonly SimilarityInput[]): number {
  const sets = points.map(
    (p) =>
      new Set(
        p.text
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter(Boolean),
      ),
  );
  let similar = 0;
  for (let i = 0; i < sets.length; i++)
    for (let j = i + 1; j < sets.length; j++) {
      let shared = 0;
      for (const w of sets[i]!) if (sets[j]!.has(w)) shared++;
      const union = sets[i]!.size + sets[j]!.size - shared;
      if (union > 0 && shared / union >= 0.5) similar++;
    }
  return similar;
}

function timed(options: SimilarityOptions, work: () => unknown): MethodResult {
  for (let i = 0; i < options.warmup; i++) work();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    work();
    walls.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  return { wallMs: summarise(walls), cpuMs: summarise(cpus) };
}

export function runSimilarity(options: SimilarityOptions, log: (line: string) => void): SimilarityResult {
  const points = eveningPoints(options.points, options.seed);
  const start = performance.now();
  const suggestions = suggestDuplicates(points).length;
  const coldMs = performance.now() - start;
  log(
    `similarity: ${points.length} points, ${suggestions} suggestions, the first call ${coldMs.toFixed(1)} ms; ` +
      `${options.runs} runs of each method after ${options.warmup} to warm up`,
  );
  const suggester = timed(options, () => suggestDuplicates(points));
  const bareResult = timed(options, () => bare(points));
  const naiveResult = timed(options, () => naive(points));
  log(
    `similarity: suggestDuplicates p50 ${suggester.wallMs.p50.toFixed(1)} ms, p95 ${suggester.wallMs.p95.toFixed(1)} ms; ` +
      `bare ${bareResult.wallMs.p50.toFixed(2)} ms; naive pairs ${naiveResult.wallMs.p50.toFixed(1)} ms`,
  );
  return {
    options,
    words: bare(points),
    distinct: new Set(points.map((p) => p.text)).size,
    suggestions,
    coldMs,
    suggester,
    bare: bareResult,
    naive: naiveResult,
  };
}
