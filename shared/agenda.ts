/**
 * The agenda of a session: rounds of steps, and the two templates that fill it. Pure data and
 * functions, shared by the server (which runs the agenda) and the setup screen (which edits it).
 */
import type { SessionKind, VoteSettings } from './protocol.js';

export const STEP_TYPES = ['instructie', 'inbreng', 'clusteren', 'stemmen', 'prioriteren', 'terugkoppeling', 'evaluatie', 'pauze'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** What each kind of step is called, on every screen and in the report. */
export const STEP_NAMES: Record<'nl' | 'en', Record<StepType, string>> = {
  nl: {
    instructie: 'Uitleg',
    inbreng: 'Punten inbrengen',
    clusteren: 'Ordenen',
    stemmen: 'Stemmen',
    prioriteren: 'Top 3 kiezen',
    terugkoppeling: 'Terugkoppeling',
    evaluatie: 'Evaluatie',
    pauze: 'Pauze',
  },
  en: {
    instructie: 'Explanation',
    inbreng: 'Adding points',
    clusteren: 'Sorting',
    stemmen: 'Voting',
    prioriteren: 'Choosing the top 3',
    terugkoppeling: 'Feedback',
    evaluatie: 'Evaluation',
    pauze: 'Break',
  },
};

export type { VoteSettings };

export interface Step {
  id: string;
  type: StepType;
  /** Shown instead of the type's name, e.g. "Informatie over het onderwerp". */
  title?: string;
  /** 0 means no timer. */
  durationSec: number;
  /** Overrides the round's and the session's question while this step runs. */
  question?: string;
  vote?: VoteSettings;
}

export interface Round {
  id: string;
  title?: string;
  question?: string;
  /** Participants may change tables at the start of this round. */
  rotate: boolean;
  steps: Step[];
}

export interface Agenda {
  rounds: Round[];
}

/** Steps in which a table may write new points on its board. */
export const POINT_STEPS: ReadonlySet<StepType> = new Set(['inbreng', 'clusteren']);

export interface FlatStep {
  step: Step;
  round: Round;
  roundIndex: number;
  /** Position in the whole agenda, from 0. */
  index: number;
}

export function flatten(agenda: Agenda): FlatStep[] {
  const out: FlatStep[] = [];
  agenda.rounds.forEach((round, roundIndex) => {
    for (const step of round.steps) out.push({ step, round, roundIndex, index: out.length });
  });
  return out;
}

export function findStep(agenda: Agenda, stepId: string | null): FlatStep | undefined {
  return stepId === null ? undefined : flatten(agenda).find((f) => f.step.id === stepId);
}

/** The question that applies to a step: its own, else its round's, else the session's. */
export function questionFor(flat: FlatStep | undefined, sessionQuestion: string): string {
  return flat?.step.question ?? flat?.round.question ?? sessionQuestion;
}

export const DEFAULT_VOTE: VoteSettings = { method: 'dots', budget: 3, maxPerItem: 3 };
/** The plenary vote of a thematafel: dots over the plenary board. */
const PLENARY_DOTS: VoteSettings = { method: 'dots', source: 'plenary', budget: 3, maxPerItem: 3 };
/** A burgerberaad votes on its recommendations: support, oppose or abstain, 70 % to adopt, blind. */
const RECOMMENDATIONS_VOTE: VoteSettings = { method: 'recommendations', source: 'plenary', threshold: 70, blind: true };

type NewStep = Omit<Step, 'id'>;
type NewRound = Omit<Round, 'id' | 'steps'> & { steps: NewStep[] };

/**
 * A new agenda for the kind of session, in Dutch. `makeId` gives the ids (nanoid on the
 * server), so the templates stay pure and testable.
 */
export function agendaTemplate(kind: SessionKind, makeId: () => string): Agenda {
  const rounds: NewRound[] = kind === 'thematafel' ? THEMATAFEL : BURGERBERAAD;
  return {
    rounds: rounds.map((r) => ({ ...r, id: makeId(), steps: r.steps.map((s) => ({ ...s, id: makeId() })) })),
  };
}

const MIN = 60;

/** Two conversation rounds with rotation between them, clustering, top 3 per table, plenary feedback. */
const THEMATAFEL: NewRound[] = [
  {
    title: 'Gespreksronde 1',
    rotate: false,
    steps: [
      { type: 'instructie', durationSec: 3 * MIN },
      { type: 'inbreng', durationSec: 20 * MIN },
      { type: 'clusteren', durationSec: 10 * MIN },
      { type: 'prioriteren', title: 'Top 3 van de tafel', durationSec: 5 * MIN },
    ],
  },
  {
    title: 'Gespreksronde 2',
    rotate: true,
    steps: [
      { type: 'instructie', durationSec: 3 * MIN },
      { type: 'inbreng', durationSec: 20 * MIN },
      { type: 'clusteren', durationSec: 10 * MIN },
      { type: 'prioriteren', title: 'Top 3 van de tafel', durationSec: 5 * MIN },
    ],
  },
  {
    title: 'Plenair',
    rotate: false,
    steps: [
      { type: 'terugkoppeling', title: 'Terugkoppeling van de tafels', durationSec: 15 * MIN },
      { type: 'stemmen', title: 'Wat vinden we het belangrijkst?', durationSec: 5 * MIN, vote: PLENARY_DOTS },
      { type: 'terugkoppeling', title: 'Uitslag', durationSec: 5 * MIN },
    ],
  },
];

/** Information, table deliberation, drafting recommendations, plenary vote, evaluation. */
const BURGERBERAAD: NewRound[] = [
  {
    title: 'Informatie',
    rotate: false,
    steps: [{ type: 'instructie', title: 'Informatie over het onderwerp', durationSec: 20 * MIN }],
  },
  {
    title: 'Gesprek aan tafel',
    rotate: false,
    steps: [
      { type: 'inbreng', title: 'Wat vinden wij belangrijk?', durationSec: 30 * MIN },
      { type: 'clusteren', durationSec: 10 * MIN },
      { type: 'pauze', durationSec: 15 * MIN },
    ],
  },
  {
    title: 'Adviezen schrijven',
    rotate: false,
    steps: [
      { type: 'inbreng', title: 'Schrijf jullie adviezen', question: 'Welk advies geven wij aan de gemeenteraad?', durationSec: 30 * MIN },
      { type: 'terugkoppeling', title: 'Adviezen in de zaal', durationSec: 15 * MIN },
    ],
  },
  {
    title: 'Stemmen en afsluiten',
    rotate: false,
    steps: [
      { type: 'stemmen', title: 'Stemmen over de adviezen', durationSec: 10 * MIN, vote: RECOMMENDATIONS_VOTE },
      { type: 'terugkoppeling', title: 'Uitslag', durationSec: 5 * MIN },
      { type: 'evaluatie', title: 'Hoe was deze avond?', durationSec: 5 * MIN },
    ],
  },
];
