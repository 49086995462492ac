/** Fixed wording of the report, in plain (B1) Dutch and in English. */
import type { EvaluationQuestion } from '../../shared/evaluation.js';
import type { SessionKind } from '../../shared/protocol.js';
import type { ReportLanguage } from '../../shared/report.js';

export interface ReportText {
  heading: (kind: SessionKind, title: string) => string;
  question: string;
  date: string;
  kind: string;
  kinds: Record<SessionKind, string>;
  pointsHeading: string;
  pointsIntro: (points: number, themes: number) => string;
  table: (n: number) => string;
  tableColumn: string;
  cluster: (label: string) => string;
  noPoints: string;
  otherTheme: string;
  votesHeading: string;
  noVotes: string;
  dotVote: (budget: number, maxPerItem: number) => string;
  voteStatus: { open: string; closed: string };
  turnout: (ballots: number, eligible: number) => string;
  rank: string;
  point: string;
  dots: string;
  tie: string;
  tablesHeading: string;
  devices: string;
  points: string;
  anonymity: string;
  evaluationHeading: string;
  evaluationResponses: (n: number) => string;
  evaluationQuestions: Record<EvaluationQuestion, string>;
  evaluationAverage: string;
  evaluationCounts: string;
  evaluationRemarks: string;
  generated: (iso: string) => string;
}

export const REPORT_TEXT: Record<ReportLanguage, ReportText> = {
  nl: {
    heading: (kind, title) => (kind === 'thematafel' ? `Verslag thematafel ‘${title}’` : `Verslag burgerberaad ‘${title}’`),
    question: 'Vraag',
    date: 'Datum',
    kind: 'Soort bijeenkomst',
    kinds: { thematafel: 'Thematafel', burgerberaad: 'Burgerberaad-bijeenkomst' },
    pointsHeading: 'Wat er aan de tafels is gezegd',
    pointsIntro: (points, themes) =>
      `De tafels brachten ${points} ${points === 1 ? 'punt' : 'punten'} in. Ze staan hieronder bij ${themes} ${themes === 1 ? 'thema' : 'thema’s'}, zonder namen.`,
    table: (n) => `Tafel ${n}`,
    tableColumn: 'Tafel',
    cluster: (label) => `subthema ‘${label}’`,
    noPoints: 'Geen punten.',
    otherTheme: 'Overig',
    votesHeading: 'Stemmingen',
    noVotes: 'Er is niet gestemd.',
    dotVote: (budget, max) =>
      `Stemmen met stippen: iedereen had ${budget} ${budget === 1 ? 'stip' : 'stippen'}, hoogstens ${max} op één punt.`,
    voteStatus: { open: 'Deze stemming is nog open. De uitslag kan nog veranderen.', closed: 'Deze stemming is gesloten.' },
    turnout: (b, e) => `${b} van de ${e} apparaten hebben gestemd.`,
    rank: 'Plaats',
    point: 'Punt',
    dots: 'Stippen',
    tie: 'gelijk',
    tablesHeading: 'Deelname per tafel',
    devices: 'Apparaten',
    points: 'Punten',
    anonymity:
      'Niemand heeft een naam ingevuld. Een stem is niet te koppelen aan een persoon of een apparaat: ' +
      'de uitslag telt alleen de stemmen bij elkaar op.',
    evaluationHeading: 'Evaluatie',
    evaluationResponses: (n) => `${n} ${n === 1 ? 'deelnemer vulde' : 'deelnemers vulden'} de evaluatie in (anoniem, schaal 1 tot 5).`,
    evaluationQuestions: {
      satisfied: 'Ik ben tevreden over deze bijeenkomst.',
      heard: 'Ik kon zeggen wat ik wilde zeggen.',
      clear: 'Het was duidelijk wat er met onze inbreng gebeurt.',
    },
    evaluationAverage: 'Gemiddeld',
    evaluationCounts: 'Aantal per score (1 tot 5)',
    evaluationRemarks: 'Wat kan beter?',
    generated: (iso) => `Gemaakt door Tafelronde op ${iso}.`,
  },
  en: {
    heading: (kind, title) => (kind === 'thematafel' ? `Report of theme table ‘${title}’` : `Report of citizens’ assembly ‘${title}’`),
    question: 'Question',
    date: 'Date',
    kind: 'Kind of meeting',
    kinds: { thematafel: 'Theme table', burgerberaad: 'Citizens’ assembly meeting' },
    pointsHeading: 'What was said at the tables',
    pointsIntro: (points, themes) =>
      `The tables raised ${points} ${points === 1 ? 'point' : 'points'}. They are listed under ${themes} ${themes === 1 ? 'theme' : 'themes'}, without names.`,
    table: (n) => `Table ${n}`,
    tableColumn: 'Table',
    cluster: (label) => `sub-theme ‘${label}’`,
    noPoints: 'No points.',
    otherTheme: 'Other',
    votesHeading: 'Votes',
    noVotes: 'There was no vote.',
    dotVote: (budget, max) => `Dot voting: everyone had ${budget} ${budget === 1 ? 'dot' : 'dots'}, at most ${max} on one point.`,
    voteStatus: { open: 'This vote is still open. The result may still change.', closed: 'This vote is closed.' },
    turnout: (b, e) => `${b} of ${e} devices voted.`,
    rank: 'Rank',
    point: 'Point',
    dots: 'Dots',
    tie: 'tie',
    tablesHeading: 'Participation per table',
    devices: 'Devices',
    points: 'Points',
    anonymity:
      'Nobody entered a name. A vote cannot be linked to a person or a device: the result only adds the votes up.',
    evaluationHeading: 'Evaluation',
    evaluationResponses: (n) => `${n} ${n === 1 ? 'participant' : 'participants'} filled in the evaluation (anonymous, scale 1 to 5).`,
    evaluationQuestions: {
      satisfied: 'I am satisfied with this meeting.',
      heard: 'I could say what I wanted to say.',
      clear: 'It was clear what will happen with our input.',
    },
    evaluationAverage: 'Average',
    evaluationCounts: 'Number per score (1 to 5)',
    evaluationRemarks: 'What could be better?',
    generated: (iso) => `Made by Tafelronde on ${iso}.`,
  },
};
