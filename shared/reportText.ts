/** Fixed wording of the report, in plain (B1) Dutch and in English. */
import { PRESENT_MINUTES } from './protocol.js';
import { STEP_NAMES, type StepType } from './agenda.js';
import type { EvaluationQuestion } from './evaluation.js';
import type { Participation, SessionKind } from './protocol.js';
import type { ReportLanguage, ReportTimelineEntry, ReportVote, VoteMethod } from './report.js';

type Source = ReportVote['source'];

export interface ReportText {
  locale: string;
  heading: (kind: SessionKind, title: string) => string;
  contextHeading: string;
  /** The spreadsheet's first sheet, with what the title page says. */
  coverSheet: string;
  /** Page footer of the printed formats. */
  pageOf: (page: number | string, pages: number | string) => string;
  preview: { lobby: string; running: string; ended: string };
  question: string;
  date: string;
  place: string;
  kind: string;
  kinds: Record<SessionKind, string>;
  participation: string;
  participationLevels: Record<Participation, string>;
  decides: string;
  notStated: string;
  summary: (points: number, rounds: number, tables: number, devices: number) => string;

  introductionHeading: string;
  summaryHeading: string;
  pointsHeading: string;
  pointsIntro: (themes: string[]) => string;
  /** After a point in the main text that more than one table raised. */
  raisedAt: (tables: number) => string;
  noMainPoints: string;
  appendixPointsHeading: string;
  appendixPointsIntro: string;
  reworded: string;
  rewordedAs: (text: string) => string;
  omitted: string;
  editsHeading: string;
  editsIntro: string;
  noEdits: string;
  editIntroduction: string;
  editSummary: string;
  editThemeLabel: (from: string, to: string) => string;
  editThemeOrder: string;
  editPointOrder: (theme: string) => string;
  editReworded: (from: string, to: string) => string;
  editRewordedCount: (n: number) => string;
  editOmitted: (text: string) => string;
  editOmittedCount: (n: number) => string;
  publicNotice: string;
  publicTableVote: string;
  abstainApart: string;
  round: (number: number | null, title: string | null) => string;
  roundQuestion: string;
  roundPoints: (points: number) => string;
  hidden: (n: number) => string;
  noPointsInRound: string;
  pointsPerTheme: string;
  table: (n: number) => string;
  tableColumn: string;
  cluster: (label: string) => string;
  times: (n: number) => string;
  noPoints: string;
  otherTheme: string;
  topsHeading: string;
  topsIntro: string;
  noTop: string;
  plenaryHeading: string;
  convergingHeading: string;
  convergingIntro: string;
  atTables: (n: number, total: number) => string;
  mergesHeading: string;
  mergesIntro: string;
  mergeWhere: string;
  mergeStep: string;
  mergeHow: string;
  mergePoint: string;
  mergeDuplicate: string;
  mergeBy: Record<'suggestion' | 'hand' | 'unknown', string>;
  plenaryList: string;
  plenaryIntro: (points: number) => string;
  fromTables: (tables: number[]) => string;
  writtenInPlenary: string;

  votesHeading: string;
  noVotes: string;
  vote: (index: number, method: VoteMethod) => string;
  /** Where the vote was held: the round by its name when it has one ("Plenair"), else by number. */
  inRound: (n: number, title: string | null, step: string | null) => string;
  methods: Record<VoteMethod, string>;
  rules: (vote: ReportVote) => string;
  /** Graded support: when a point counts as adopted, with the scale's supporting labels. */
  adoption: (labels: readonly string[], accept: number, threshold: number) => string;
  source: Record<Source, string>;
  voteStatus: { open: string; closed: string };
  turnout: (ballots: number, eligible: number, pct: number | null) => string;
  ties: (groups: { rank: number; count: number }[]) => string;
  /** Items of a dots or points vote that nobody chose: one line instead of a row each. */
  unscored: (n: number, method: 'dots' | 'points') => string;
  tableBallots: (table: number, ballots: number) => string;
  withheld: (min: number) => string;
  chartOf: (shown: number, all: number) => string;
  rank: string;
  point: string;
  theme: string;
  tie: string;
  score: Record<VoteMethod, string>;
  firsts: string;
  support: string;
  oppose: string;
  abstain: string;
  supportPct: string;
  adopted: string;
  spread: string;
  divided: string;
  spreadNote: (line: number) => string;
  byTableLabel: string;
  byTableIntro: (what: string) => string;
  byTableWithheld: Record<'few' | 'incomplete', (min: number) => string>;
  gradedChart: string;
  yes: string;
  no: string;

  recommendationsHeading: string;
  recommendationsIntro: (adopted: number, all: number) => string;
  recommendation: string;
  threshold: string;

  evaluationHeading: string;
  evaluationResponses: (n: number) => string;
  evaluationQuestions: Record<EvaluationQuestion, string>;
  evaluationQuestion: string;
  evaluationAverage: string;
  evaluationCounts: string;
  evaluationRemarks: string;

  notesHeading: string;
  noNotes: string;

  processHeading: string;
  timelineHeading: string;
  noTimeline: string;
  time: string;
  what: string;
  duration: string;
  minutes: (n: number) => string;
  steps: Record<StepType, string>;
  event: (e: ReportTimelineEntry, stepName: string) => string;
  tablesHeading: string;
  devices: string;
  points: string;
  devicesNote: string;
  methodsHeading: string;
  anonymityHeading: string;
  anonymity: string[];
  generated: (date: string, time: string) => string;

  csv: {
    columns: Record<CsvColumn, string>;
    sections: Record<CsvSection, string>;
  };
}

export const CSV_COLUMNS = [
  'section',
  'round',
  'theme',
  'subtheme',
  'table',
  'vote',
  'method',
  'rank',
  'tied',
  'text',
  'count',
  'score',
  'total',
  'borda',
  'firsts',
  'points',
  'support',
  'oppose',
  'abstain',
  'supportPct',
  'adopted',
  /** A point the organiser reworded: its words in the report; the text column keeps the original. */
  'reported',
  /** A point the organiser left out of the main text. */
  'omitted',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const CSV_SECTIONS = ['point', 'merged', 'top', 'plenary', 'result', 'recommendation', 'evaluation', 'remark', 'note'] as const;
export type CsvSection = (typeof CSV_SECTIONS)[number];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** "a", "a of b", "a, b of c". */
const orList = (xs: readonly string[], or: string) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${or} ${xs.at(-1)}`);
const formatDecimal = (n: number, sep: string) => String(n).replace('.', sep);
/** "a, b en c". */
const listOf = (items: string[], and: string) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`);

const nl: ReportText = {
  locale: 'nl-NL',
  heading: (kind, title) => (kind === 'thematafel' ? `Verslag thematafel ‘${title}’` : `Verslag burgerberaad ‘${title}’`),
  contextHeading: 'Over de bijeenkomst',
  coverSheet: 'Voorblad',
  pageOf: (page, pages) => `Pagina ${page} van ${pages}`,
  preview: {
    lobby: 'De bijeenkomst is nog niet begonnen. Dit verslag is nog leeg.',
    running: 'Dit is een voorlopig verslag: de bijeenkomst is nog bezig.',
    ended: '',
  },
  question: 'Vraag',
  date: 'Datum',
  place: 'Plaats',
  kind: 'Soort bijeenkomst',
  kinds: { thematafel: 'Thematafel', burgerberaad: 'Burgerberaad-bijeenkomst' },
  participation: 'Mate van meedoen',
  participationLevels: {
    denken: 'Samen denken: de deelnemers denken mee en geven ideeën. Anderen beslissen.',
    doen: 'Samen doen: de deelnemers werken mee aan de uitvoering.',
    beslissen: 'Samen beslissen: de deelnemers beslissen mee over de uitkomst.',
    leren: 'Samen leren: deelnemers en gemeente leren van elkaar.',
  },
  decides: 'Wie beslist over de uitkomst',
  notStated: 'Niet ingevuld',
  summary: (points, rounds, tables, devices) =>
    `De tafels brachten ${plural(points, 'punt', 'punten')} in, in ${plural(rounds, 'ronde', 'rondes')}. ` +
    `Er waren ${plural(tables, 'tafel', 'tafels')} en ${plural(devices, 'apparaat', 'apparaten')}. De punten staan hieronder zonder namen.`,

  introductionHeading: 'Inleiding',
  summaryHeading: 'Samenvatting',
  pointsHeading: 'Wat er naar voren kwam',
  pointsIntro: (themes) =>
    `De punten van alle tafels en rondes staan hieronder per thema${themes.length > 0 ? ` (${listOf(themes, 'en')})` : ''}. ` +
    `Een punt dat vaker werd genoemd, staat er één keer.`,
  raisedAt: (n) => `genoemd aan ${n} tafels`,
  noMainPoints: 'Er zijn geen punten ingebracht.',
  appendixPointsHeading: 'Bijlage: alle punten per ronde en tafel',
  appendixPointsIntro: 'Hier staan alle punten zoals de tafels ze schreven, ook de punten die in de hoofdtekst zijn samengevoegd, herschreven of weggelaten.',
  reworded: 'herschreven in het verslag',
  rewordedAs: (text) => `In de hoofdtekst: ‘${text}’`,
  omitted: 'niet in de hoofdtekst',
  editsHeading: 'Redactie',
  editsIntro: 'Na de bijeenkomst heeft de organisatie het verslag bewerkt. Dit is er veranderd:',
  noEdits: 'Het verslag is niet bewerkt. Het geeft weer wat de tafels schreven.',
  editIntroduction: 'De organisatie schreef de inleiding.',
  editSummary: 'De organisatie schreef de samenvatting.',
  editThemeLabel: (from, to) => `Het thema ‘${from}’ heet in dit verslag ‘${to}’.`,
  editThemeOrder: 'De volgorde van de thema’s is veranderd.',
  editPointOrder: (theme) => `De volgorde van de punten bij ‘${theme}’ is veranderd.`,
  editReworded: (from, to) => `Herschreven: ‘${from}’ werd ‘${to}’.`,
  editRewordedCount: (n) =>
    `${n === 1 ? '1 punt is' : `${n} punten zijn`} herschreven, zodat ${n === 1 ? 'het' : 'ze'} beter te lezen ${n === 1 ? 'is' : 'zijn'}.`,
  editOmitted: (text) => `Niet in de hoofdtekst: ‘${text}’. Dit punt staat wel in de bijlage.`,
  editOmittedCount: (n) => `${n === 1 ? '1 punt staat' : `${n} punten staan`} niet in de hoofdtekst.`,
  publicNotice:
    'Openbare versie. Hierin staan geen uitslagen per tafel, geen opmerkingen uit de evaluatie en geen oorspronkelijke teksten van herschreven punten.',
  publicTableVote: 'Elke tafel stemde over haar eigen punten. De uitslag per tafel staat niet in de openbare versie.',
  abstainApart: 'Neutrale stemmen staan apart. Ze tellen niet mee voor het percentage steun.',
  round: (n, title) => (n === null ? 'Punten buiten een ronde' : title ? `Ronde ${n}: ${title}` : `Ronde ${n}`),
  roundQuestion: 'Vraag in deze ronde',
  roundPoints: (n) => `In deze ronde: ${plural(n, 'punt', 'punten')}.`,
  hidden: (n) =>
    `${n === 1 ? '1 punt is' : `${n} punten zijn`} door een gespreksleider verborgen. ${n === 1 ? 'Dat punt staat' : 'Die punten staan'} niet in dit verslag.`,
  noPointsInRound: 'In deze ronde zijn geen punten ingebracht.',
  pointsPerTheme: 'Aantal punten per thema',
  table: (n) => `Tafel ${n}`,
  tableColumn: 'Tafel',
  cluster: (label) => `Subthema ‘${label}’`,
  times: (n) => `${n} keer genoemd`,
  noPoints: 'Geen punten.',
  otherTheme: 'Overig',
  topsHeading: 'Top 3 per tafel',
  topsIntro: 'Elke tafel koos zelf haar belangrijkste punten, in deze volgorde.',
  noTop: 'Geen top 3 gekozen.',
  plenaryHeading: 'Bijlage: de plenaire lijst',
  convergingHeading: 'Wat aan meerdere tafels speelde',
  convergingIntro: 'Deze punten kwamen aan meer dan één tafel naar voren. Het punt dat aan de meeste tafels speelde, staat bovenaan.',
  atTables: (n, total) => `aan ${n} van ${total} tafels`,
  mergesHeading: 'Bijlage: samengevoegde punten',
  mergesIntro:
    'Punten die hetzelfde zeiden, zijn samengevoegd. Beide teksten bleven bewaard en tellen samen één keer. ' +
    'Hier staat van elke samenvoeging waar en in welke stap het gebeurde, en of het een voorstel van Tafelronde ' +
    'was of met de hand ging. Wie het deed, wordt niet bijgehouden.',
  mergeWhere: 'Waar',
  mergeStep: 'Stap',
  mergeHow: 'Hoe',
  mergePoint: 'Punt',
  mergeDuplicate: 'Samengevoegd met',
  mergeBy: { suggestion: 'voorstel aangenomen', hand: 'met de hand', unknown: 'niet bekend' },
  plenaryList: 'plenaire lijst',
  plenaryIntro: (points) =>
    `Wat de tafels in de zaal samenbrachten: ${plural(points, 'punt', 'punten')}, per thema, met ` +
    `de tafels waar ze vandaan kwamen. Dubbele punten zijn samengevoegd.`,
  fromTables: (tables) => (tables.length === 1 ? `tafel ${tables[0]}` : `tafels ${tables.join(', ')}`),
  writtenInPlenary: 'in de zaal toegevoegd',

  votesHeading: 'Stemmingen',
  noVotes: 'Er is niet gestemd.',
  vote: (i, method) => `Stemming ${i}: ${nl.methods[method]}`,
  inRound: (n, title, step) => `Deze stemming hoorde bij ${title ? `‘${title}’` : `ronde ${n}`}${step ? `, stap ‘${step}’` : ''}.`,
  methods: {
    dots: 'stemmen met stippen',
    ranking: 'op volgorde zetten',
    points: 'punten verdelen',
    recommendations: 'stemmen over adviezen',
    graded: 'steun op een schaal',
  },
  rules: (v) => {
    switch (v.method) {
      case 'dots':
        return `Iedereen had ${plural(v.rules.budget ?? 0, 'stip', 'stippen')}, hoogstens ${v.rules.maxPerItem ?? v.rules.budget ?? 0} op één punt.`;
      case 'ranking':
        return 'Iedereen zette de punten op volgorde. Hoe hoger een punt staat, hoe meer punten het krijgt (Borda-telling).';
      case 'points':
        return `Iedereen had ${v.rules.budget ?? 0} punten om te verdelen.`;
      case 'recommendations':
        return (
          `Over elk advies stemde iedereen voor, tegen of neutraal. Een advies is aangenomen als ${v.rules.threshold ?? 50}% ` +
          `of meer van de stemmen voor is. Neutrale stemmen tellen niet mee.`
        );
      case 'graded': {
        const labels = v.rules.labels ?? [];
        return (
          `Iedereen gaf bij elk punt aan hoeveel steun het heeft: ${labels.map((l) => `‘${l}’`).join(', ')}. ` +
          nl.adoption(labels, v.rules.accept ?? 1, v.rules.threshold ?? 0)
        );
      }
    }
  },
  adoption: (labels, accept, threshold) =>
    `Een punt is aangenomen als ${threshold}% of meer van wie het een plek op de schaal gaf, ${orList(
      labels.slice(0, accept).map((l) => `‘${l}’`),
      'of',
    )} koos.`,
  source: {
    tables: 'Er is gestemd over de punten van de tafels.',
    table: 'Elke tafel stemde over haar eigen punten.',
    plenary: 'Er is gestemd over de punten op de lijst van de hele zaal.',
    recommendations: 'Er is gestemd over de adviezen.',
  },
  voteStatus: { open: 'Deze stemming is nog open. De uitslag kan nog veranderen.', closed: 'Deze stemming is gesloten.' },
  turnout: (b, e, pct) => `${b} van de ${e} apparaten hebben gestemd${pct === null ? '' : ` (${pct}%)`}.`,
  ties: (groups) => groups.map((g) => `${g.count} punten staan samen op plaats ${g.rank}.`).join(' '),
  unscored: (n, method) => `${n === 1 ? '1 punt kreeg' : `${n} punten kregen`} geen ${method === 'dots' ? 'stippen' : 'punten'}.`,
  tableBallots: (table, n) => `Tafel ${table}: ${plural(n, 'stem', 'stemmen')}`,
  withheld: (min) => `Hier stemden minder dan ${min} mensen. Om hun stem geheim te houden, staat de uitslag van deze tafel niet in het verslag.`,
  chartOf: (shown, all) => (shown < all ? `De ${shown} punten met de meeste stemmen (van ${all})` : 'Uitslag'),
  rank: 'Plaats',
  point: 'Punt',
  theme: 'Thema',
  tie: 'gelijk',
  score: { dots: 'Stippen', ranking: 'Borda-score', points: 'Punten', recommendations: 'Steun %', graded: 'Steun %' },
  firsts: 'Eerste keus',
  support: 'Voor',
  oppose: 'Tegen',
  abstain: 'Neutraal',
  supportPct: 'Steun %',
  adopted: 'Aangenomen',
  spread: 'Spreiding',
  divided: 'verdeeld',
  spreadNote: (line) =>
    `Spreiding laat zien hoe verdeeld de zaal is over een punt: 0 als iedereen hetzelfde gaf, 0,5 als de helft ` +
    `het meeste en de helft het minste gaf. Boven ${formatDecimal(line, ',')} staat ‘verdeeld’.`,
  gradedChart: 'Uitslag per punt, van meeste naar minste steun',
  byTableLabel: 'Per tafel',
  byTableIntro: (what) => `Zo stemde elke tafel (${what.toLowerCase()}).`,
  byTableWithheld: {
    few: (min) =>
      `De uitslag per tafel staat hier niet: aan minstens één tafel stemden minder dan ${min} mensen. ` + 'Dan zou die uitslag laten zien wat zij kozen.',
    incomplete: () => 'De uitslag per tafel is niet bekend: de server is tijdens deze stemming opnieuw gestart. Alle stemmen zijn wel geteld.',
  },
  yes: 'ja',
  no: 'nee',

  recommendationsHeading: 'Adviezen',
  recommendationsIntro: (adopted, all) => `Aangenomen: ${adopted} van de ${plural(all, 'advies', 'adviezen')}.`,
  recommendation: 'Advies',
  threshold: 'Nodig',

  evaluationHeading: 'Evaluatie',
  evaluationResponses: (n) => `${n} ${n === 1 ? 'deelnemer vulde' : 'deelnemers vulden'} de evaluatie in (anoniem, schaal 1 tot 5).`,
  evaluationQuestions: {
    satisfied: 'Ik ben tevreden over deze bijeenkomst.',
    heard: 'Ik kon zeggen wat ik wilde zeggen.',
    clear: 'Het was duidelijk wat er met onze inbreng gebeurt.',
  },
  evaluationQuestion: 'Stelling',
  evaluationAverage: 'Gemiddeld',
  evaluationCounts: 'Aantal per score (1 tot 5)',
  evaluationRemarks: 'Wat kan beter?',

  notesHeading: 'Tips en acties',
  noNotes: 'Er zijn geen tips of acties genoteerd.',

  processHeading: 'Bijlage: hoe de bijeenkomst verliep',
  timelineHeading: 'Tijdlijn',
  noTimeline: 'Er is nog niets gebeurd.',
  time: 'Tijd',
  what: 'Wat',
  duration: 'Duur',
  minutes: (n) => `${n} min`,
  steps: STEP_NAMES.nl,
  event: (e, step) => {
    switch (e.event) {
      case 'created':
        return 'Sessie aangemaakt';
      case 'step':
        return e.round === null ? step : `Ronde ${e.round}: ${step}`;
      case 'ended':
        return 'Bijeenkomst afgesloten';
      case 'voteOpened':
        return `Stemming geopend${e.method ? ` (${nl.methods[e.method]})` : ''}`;
      case 'voteClosed':
        return `Stemming gesloten${e.ballots === undefined ? '' : ` (${plural(e.ballots, 'stem', 'stemmen')})`}`;
      case 'timerExtended':
        return `Tijd verlengd met ${plural(Math.round((e.seconds ?? 0) / 60), 'minuut', 'minuten')}`;
      case 'agendaEdited':
        return 'Programma aangepast';
      case 'deviceMoved':
        return `Een tablet ging ${e.fromTable ? `van tafel ${e.fromTable} ` : ''}naar tafel ${e.toTable ?? '?'}`;
    }
  },
  tablesHeading: 'Deelname per tafel',
  devices: 'Apparaten',
  points: 'Punten',
  devicesNote:
    `Een apparaat is een tablet. Soms zitten er meer mensen aan één tablet. Bij een stemming telt ` +
    `als stemmer: elke tablet die in de zaal was (verbonden, of minder dan ${PRESENT_MINUTES} minuten ` +
    `weg) en elke tablet die al had gestemd; aan een tafel die één tablet deelt (doorgeefstand), ` +
    `het aantal stoelen. Tablets die weggingen, tellen niet mee.`,
  methodsHeading: 'Manier van stemmen',
  anonymityHeading: 'Zo bleef iedereen anoniem',
  anonymity: [
    'Niemand heeft een naam ingevuld. Een tablet doet mee met een willekeurige code, zonder naam, e-mailadres of telefoonnummer.',
    'Punten staan in dit verslag zonder naam, alleen met het nummer van de tafel.',
    'Een stem wordt apart bewaard van het apparaat dat hem uitbracht. Niemand kan een stem koppelen ' +
      'aan een persoon of een apparaat, ook niet met de database. De uitslag telt alleen de stemmen ' +
      'bij elkaar op.',
    'De evaluatie is op dezelfde manier anoniem. De opmerkingen staan op alfabet, zodat de volgorde niets verraadt.',
  ],
  generated: (date, time) => `Gemaakt door Tafelronde op ${date} om ${time}.`,

  csv: {
    columns: {
      section: 'onderdeel',
      round: 'ronde',
      theme: 'thema',
      subtheme: 'subthema',
      table: 'tafel',
      vote: 'stemming',
      method: 'methode',
      rank: 'plaats',
      tied: 'gelijk',
      text: 'tekst',
      count: 'aantal',
      score: 'score',
      total: 'stippen',
      borda: 'borda',
      firsts: 'eerste keus',
      points: 'punten',
      support: 'voor',
      oppose: 'tegen',
      abstain: 'neutraal',
      supportPct: 'steun %',
      adopted: 'aangenomen',
      reported: 'tekst in verslag',
      omitted: 'niet in hoofdtekst',
    },
    sections: {
      point: 'punt',
      merged: 'samengevoegd',
      top: 'top 3',
      plenary: 'plenair',
      result: 'uitslag',
      recommendation: 'advies',
      evaluation: 'evaluatie',
      remark: 'opmerking',
      note: 'tip of actie',
    },
  },
};

const en: ReportText = {
  locale: 'en-GB',
  heading: (kind, title) => (kind === 'thematafel' ? `Report of theme table ‘${title}’` : `Report of citizens’ assembly ‘${title}’`),
  contextHeading: 'About the meeting',
  coverSheet: 'Cover',
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  preview: {
    lobby: 'The meeting has not started yet. This report is still empty.',
    running: 'This is a preliminary report: the meeting is still going on.',
    ended: '',
  },
  question: 'Question',
  date: 'Date',
  place: 'Place',
  kind: 'Kind of meeting',
  kinds: { thematafel: 'Theme table', burgerberaad: 'Citizens’ assembly meeting' },
  participation: 'Level of participation',
  participationLevels: {
    denken: 'Thinking together: participants give input and ideas. Others decide.',
    doen: 'Doing together: participants help carry it out.',
    beslissen: 'Deciding together: participants share in deciding the outcome.',
    leren: 'Learning together: participants and the municipality learn from each other.',
  },
  decides: 'Who decides on the outcome',
  notStated: 'Not stated',
  summary: (points, rounds, tables, devices) =>
    `The tables raised ${plural(points, 'point', 'points')} in ${plural(rounds, 'round', 'rounds')}. ` +
    `There were ${plural(tables, 'table', 'tables')} and ${plural(devices, 'device', 'devices')}. The points are listed below without names.`,

  introductionHeading: 'Introduction',
  summaryHeading: 'Summary',
  pointsHeading: 'What came up',
  pointsIntro: (themes) =>
    `The points of all tables and rounds are listed below by theme${themes.length > 0 ? ` (${listOf(themes, 'and')})` : ''}. ` +
    `A point raised more than once is listed once.`,
  raisedAt: (n) => `raised at ${n} tables`,
  noMainPoints: 'No points were made.',
  appendixPointsHeading: 'Appendix: every point by round and table',
  appendixPointsIntro: 'Every point as the tables wrote it, including the points that the main text merged, reworded or left out.',
  reworded: 'reworded in the report',
  rewordedAs: (text) => `In the main text: ‘${text}’`,
  omitted: 'not in the main text',
  editsHeading: 'Editing',
  editsIntro: 'After the meeting, the organisers edited the report. This is what changed:',
  noEdits: 'The report was not edited. It shows what the tables wrote.',
  editIntroduction: 'The organisers wrote the introduction.',
  editSummary: 'The organisers wrote the summary.',
  editThemeLabel: (from, to) => `The theme ‘${from}’ is called ‘${to}’ in this report.`,
  editThemeOrder: 'The order of the themes was changed.',
  editPointOrder: (theme) => `The order of the points under ‘${theme}’ was changed.`,
  editReworded: (from, to) => `Reworded: ‘${from}’ became ‘${to}’.`,
  editRewordedCount: (n) => `${n === 1 ? '1 point was' : `${n} points were`} reworded to read better.`,
  editOmitted: (text) => `Not in the main text: ‘${text}’. This point is in the appendix.`,
  editOmittedCount: (n) => `${n === 1 ? '1 point is' : `${n} points are`} not in the main text.`,
  publicNotice: 'Public version. It has no results per table, no remarks from the evaluation and no original wording of reworded points.',
  publicTableVote: 'Each table voted on its own points. The results per table are not in the public version.',
  abstainApart: 'Neutral votes are listed apart. They do not count towards the support percentage.',
  round: (n, title) => (n === null ? 'Points outside a round' : title ? `Round ${n}: ${title}` : `Round ${n}`),
  roundQuestion: 'Question in this round',
  roundPoints: (n) => `In this round: ${plural(n, 'point', 'points')}.`,
  hidden: (n) => `${n === 1 ? '1 point was' : `${n} points were`} hidden by a table host and ${n === 1 ? 'is' : 'are'} not in this report.`,
  noPointsInRound: 'No points were raised in this round.',
  pointsPerTheme: 'Number of points per theme',
  table: (n) => `Table ${n}`,
  tableColumn: 'Table',
  cluster: (label) => `Sub-theme ‘${label}’`,
  times: (n) => `mentioned ${n} times`,
  noPoints: 'No points.',
  otherTheme: 'Other',
  topsHeading: 'Top 3 per table',
  topsIntro: 'Each table chose its own most important points, in this order.',
  noTop: 'No top 3 chosen.',
  plenaryHeading: 'Appendix: the plenary list',
  convergingHeading: 'What came up at several tables',
  convergingIntro: 'These points came up at more than one table. The point raised at the most tables comes first.',
  atTables: (n, total) => `at ${n} of ${total} tables`,
  mergesHeading: 'Appendix: combined points',
  mergesIntro:
    'Points that said the same were combined. Both texts were kept and count once together. For each ' +
    'combination this lists where and in which step it happened, and whether Tafelronde suggested it or it ' +
    'was done by hand. Who did it is not recorded.',
  mergeWhere: 'Where',
  mergeStep: 'Step',
  mergeHow: 'How',
  mergePoint: 'Point',
  mergeDuplicate: 'Combined with',
  mergeBy: { suggestion: 'suggestion accepted', hand: 'by hand', unknown: 'not known' },
  plenaryList: 'plenary list',
  plenaryIntro: (points) =>
    `What the tables brought together in the room: ${plural(points, 'point', 'points')}, by theme, with the tables they came from. Duplicates are merged.`,
  fromTables: (tables) => (tables.length === 1 ? `table ${tables[0]}` : `tables ${tables.join(', ')}`),
  writtenInPlenary: 'added in the room',

  votesHeading: 'Votes',
  noVotes: 'There was no vote.',
  vote: (i, method) => `Vote ${i}: ${en.methods[method]}`,
  inRound: (n, title, step) => `This vote was part of ${title ? `‘${title}’` : `round ${n}`}${step ? `, step ‘${step}’` : ''}.`,
  methods: { dots: 'dot voting', ranking: 'ranking', points: 'points allocation', recommendations: 'vote on recommendations', graded: 'graded support' },
  rules: (v) => {
    switch (v.method) {
      case 'dots':
        return `Everyone had ${plural(v.rules.budget ?? 0, 'dot', 'dots')}, at most ${v.rules.maxPerItem ?? v.rules.budget ?? 0} on one point.`;
      case 'ranking':
        return 'Everyone put the points in order. The higher a point, the more points it gets (Borda count).';
      case 'points':
        return `Everyone had ${v.rules.budget ?? 0} points to allocate.`;
      case 'recommendations':
        return (
          `Everyone voted for, against or neutral on each recommendation. A recommendation is adopted ` +
          `when ${v.rules.threshold ?? 50}% or more of the votes are in favour. Neutral votes do not ` +
          `count.`
        );
      case 'graded': {
        const labels = v.rules.labels ?? [];
        return (
          `Everyone placed each point on a scale of support: ${labels.map((l) => `‘${l}’`).join(', ')}. ` +
          en.adoption(labels, v.rules.accept ?? 1, v.rules.threshold ?? 0)
        );
      }
    }
  },
  adoption: (labels, accept, threshold) =>
    `A point is adopted when ${threshold}% or more of those who placed it on the scale chose ${orList(
      labels.slice(0, accept).map((l) => `‘${l}’`),
      'or',
    )}.`,
  source: {
    tables: 'The vote was on the tables’ points.',
    table: 'Each table voted on its own points.',
    plenary: 'The vote was on the points of the whole room’s list.',
    recommendations: 'The vote was on the recommendations.',
  },
  voteStatus: { open: 'This vote is still open. The result may still change.', closed: 'This vote is closed.' },
  turnout: (b, e, pct) => `${b} of ${e} devices voted${pct === null ? '' : ` (${pct}%)`}.`,
  ties: (groups) => groups.map((g) => `${g.count} points share place ${g.rank}.`).join(' '),
  unscored: (n, method) => `${n === 1 ? '1 point' : `${n} points`} got no ${method === 'dots' ? 'dots' : 'points'}.`,
  tableBallots: (table, n) => `Table ${table}: ${plural(n, 'ballot', 'ballots')}`,
  withheld: (min) => `Fewer than ${min} people voted here. To keep their votes secret, this table’s result is not in the report.`,
  chartOf: (shown, all) => (shown < all ? `The ${shown} points with the most votes (of ${all})` : 'Result'),
  rank: 'Rank',
  point: 'Point',
  theme: 'Theme',
  tie: 'tie',
  score: { dots: 'Dots', ranking: 'Borda score', points: 'Points', recommendations: 'Support %', graded: 'Support %' },
  firsts: 'First choice',
  support: 'For',
  oppose: 'Against',
  abstain: 'Neutral',
  supportPct: 'Support %',
  adopted: 'Adopted',
  spread: 'Spread',
  divided: 'divided',
  spreadNote: (line) =>
    `Spread shows how divided the room is on a point: 0 when everyone gave the same, 0.5 when half gave the ` +
    `most and half the least. Above ${formatDecimal(line, '.')} it says ‘divided’.`,
  gradedChart: 'Result per point, from most to least support',
  byTableLabel: 'Per table',
  byTableIntro: (what) => `How each table voted (${what.toLowerCase()}).`,
  byTableWithheld: {
    few: (min) => `The result per table is not shown: at least one table had fewer than ${min} voters, whose choices it would reveal.`,
    incomplete: () => 'The result per table is not known: the server restarted during this vote. Every vote was counted.',
  },
  yes: 'yes',
  no: 'no',

  recommendationsHeading: 'Recommendations',
  recommendationsIntro: (adopted, all) => `Adopted: ${adopted} of ${plural(all, 'recommendation', 'recommendations')}.`,
  recommendation: 'Recommendation',
  threshold: 'Needed',

  evaluationHeading: 'Evaluation',
  evaluationResponses: (n) => `${n} ${n === 1 ? 'participant' : 'participants'} filled in the evaluation (anonymous, scale 1 to 5).`,
  evaluationQuestions: {
    satisfied: 'I am satisfied with this meeting.',
    heard: 'I could say what I wanted to say.',
    clear: 'It was clear what will happen with our input.',
  },
  evaluationQuestion: 'Statement',
  evaluationAverage: 'Average',
  evaluationCounts: 'Number per score (1 to 5)',
  evaluationRemarks: 'What could be better?',

  notesHeading: 'Tips and actions',
  noNotes: 'No tips or actions were noted.',

  processHeading: 'Appendix: how the meeting went',
  timelineHeading: 'Timeline',
  noTimeline: 'Nothing has happened yet.',
  time: 'Time',
  what: 'What',
  duration: 'Duration',
  minutes: (n) => `${n} min`,
  steps: STEP_NAMES.en,
  event: (e, step) => {
    switch (e.event) {
      case 'created':
        return 'Session created';
      case 'step':
        return e.round === null ? step : `Round ${e.round}: ${step}`;
      case 'ended':
        return 'Meeting closed';
      case 'voteOpened':
        return `Vote opened${e.method ? ` (${en.methods[e.method]})` : ''}`;
      case 'voteClosed':
        return `Vote closed${e.ballots === undefined ? '' : ` (${plural(e.ballots, 'ballot', 'ballots')})`}`;
      case 'timerExtended':
        return `Time extended by ${plural(Math.round((e.seconds ?? 0) / 60), 'minute', 'minutes')}`;
      case 'agendaEdited':
        return 'Programme changed';
      case 'deviceMoved':
        return `A tablet moved ${e.fromTable ? `from table ${e.fromTable} ` : ''}to table ${e.toTable ?? '?'}`;
    }
  },
  tablesHeading: 'Participation per table',
  devices: 'Devices',
  points: 'Points',
  devicesNote:
    `A device is a tablet. Sometimes several people share one tablet. In a vote, voters are counted ` +
    `as every tablet in the room (connected, or away for less than ${PRESENT_MINUTES} minutes) ` +
    `and every tablet that had already voted; at a table that shares one tablet (doorgeefstand), ` +
    `its number of seats. Tablets that left are not counted.`,
  methodsHeading: 'How people voted',
  anonymityHeading: 'How everyone stayed anonymous',
  anonymity: [
    'Nobody entered a name. A tablet takes part with a random code, without a name, e-mail address or phone number.',
    'Points appear in this report without names, only with the table number.',
    'A vote is stored apart from the device that cast it. Nobody can link a vote to a person or ' +
      'a device, not even with the database. The result only adds the votes up.',
    'The evaluation is anonymous in the same way. Remarks are in alphabetical order, so their order gives nothing away.',
  ],
  generated: (date, time) => `Made by Tafelronde on ${date} at ${time}.`,

  csv: {
    columns: {
      section: 'section',
      round: 'round',
      theme: 'theme',
      subtheme: 'sub-theme',
      table: 'table',
      vote: 'vote',
      method: 'method',
      rank: 'rank',
      tied: 'tied',
      text: 'text',
      count: 'count',
      score: 'score',
      total: 'dots',
      borda: 'borda',
      firsts: 'first choice',
      points: 'points',
      support: 'for',
      oppose: 'against',
      abstain: 'neutral',
      supportPct: 'support %',
      adopted: 'adopted',
      reported: 'text in report',
      omitted: 'left out of main text',
    },
    sections: {
      point: 'point',
      merged: 'merged',
      top: 'top 3',
      plenary: 'plenary',
      result: 'result',
      recommendation: 'recommendation',
      evaluation: 'evaluation',
      remark: 'remark',
      note: 'tip or action',
    },
  },
};

export const REPORT_TEXT: Record<ReportLanguage, ReportText> = { nl, en };
