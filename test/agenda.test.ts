/** The agenda templates and helpers (shared/agenda.ts). */
import { describe, expect, it } from 'vitest';
import { agendaTemplate, DEFAULT_VOTE, findStep, flatten, POINT_STEPS, questionFor, STEP_TYPES, type Agenda } from '../shared/agenda.js';
import { TOP_SIZE } from '../shared/board.js';
import { AgendaView } from '../shared/protocol.js';
import { resolveVote } from '../shared/voteSettings.js';

function idMaker() {
  let n = 0;
  const made: string[] = [];
  const makeId = () => {
    const id = `id${++n}`;
    made.push(id);
    return id;
  };
  return { makeId, made };
}

const types = (a: Agenda) => flatten(a).map((f) => f.step.type);

function expectUniqueIds(a: Agenda) {
  const ids = [...a.rounds.map((r) => r.id), ...flatten(a).map((f) => f.step.id)];
  expect(new Set(ids).size).toBe(ids.length);
}

describe('thematafel template', () => {
  const { makeId, made } = idMaker();
  const agenda = agendaTemplate('thematafel', makeId);
  const conversation = agenda.rounds.filter((r) => r.steps.some((s) => s.type === 'inbreng'));

  it('has two conversation rounds, with rotation before the second only', () => {
    expect(conversation).toHaveLength(2);
    expect(conversation.map((r) => r.rotate)).toEqual([false, true]);
    expect(agenda.rounds[0]!.rotate).toBe(false);
    expect(agenda.rounds.filter((r) => r.rotate)).toEqual([conversation[1]]);
  });

  it('each conversation round collects points, clusters them and picks a top 3', () => {
    for (const round of conversation) {
      const t = round.steps.map((s) => s.type);
      expect(t.indexOf('inbreng')).toBeLessThan(t.indexOf('clusteren'));
      expect(t.indexOf('clusteren')).toBeLessThan(t.indexOf('prioriteren'));
      const prioritise = round.steps.find((s) => s.type === 'prioriteren')!;
      expect(prioritise.title).toContain(`Top ${TOP_SIZE}`);
    }
  });

  it('ends with plenary feedback after the conversation rounds, and a dot vote with the default rules over the plenary board', () => {
    const plenary = agenda.rounds.at(-1)!;
    expect(conversation).not.toContain(plenary);
    expect(plenary.steps[0]!.type).toBe('terugkoppeling');
    expect(plenary.steps.some((s) => s.type === 'terugkoppeling')).toBe(true);
    const vote = flatten(agenda).find((f) => f.step.type === 'stemmen')!;
    expect(vote.round).toBe(plenary);
    expect(vote.step.vote).toEqual({ ...DEFAULT_VOTE, source: 'plenary' });
    // Open, not blind: a thematafel shows the dots as they come in.
    expect(resolveVote(vote.step.vote!, 'thematafel')).toEqual({
      rules: { method: 'dots', budget: 3, maxPerItem: 3 },
      source: 'plenary',
      blind: false,
      recommendations: [],
    });
  });

  it('gives every round and step an id from makeId, all different', () => {
    expectUniqueIds(agenda);
    expect(made).toHaveLength(agenda.rounds.length + flatten(agenda).length);
    expect([...agenda.rounds.map((r) => r.id), ...flatten(agenda).map((f) => f.step.id)].sort()).toEqual([...made].sort());
  });

  it('fits what session:state sends, with timers and Dutch titles', () => {
    expect(() => AgendaView.parse(agenda)).not.toThrow();
    for (const { step } of flatten(agenda)) expect(step.durationSec).toBeGreaterThan(0);
    expect(agenda.rounds.map((r) => r.title)).toEqual(['Gespreksronde 1', 'Gespreksronde 2', 'Plenair']);
  });

  it('makes a fresh agenda each time (templates are not shared objects)', () => {
    const a = agendaTemplate('thematafel', idMaker().makeId);
    const b = agendaTemplate('thematafel', idMaker().makeId);
    expect(a).toEqual(b);
    a.rounds[0]!.steps[0]!.durationSec = 1;
    a.rounds[0]!.steps.push({ id: 'x', type: 'pauze', durationSec: 1 });
    expect(agendaTemplate('thematafel', idMaker().makeId)).toEqual(b);
  });
});

describe('burgerberaad template', () => {
  const agenda = agendaTemplate('burgerberaad', idMaker().makeId);
  const flat = flatten(agenda);
  const firstOf = (type: string) => flat.findIndex((f) => f.step.type === type);

  it('starts with information and ends with an evaluation', () => {
    expect(flat[0]!.step.type).toBe('instructie');
    expect(flat.at(-1)!.step.type).toBe('evaluatie');
  });

  it('has table deliberation, a drafting step, then a vote on the recommendations', () => {
    expect(firstOf('inbreng')).toBeGreaterThan(firstOf('instructie'));
    // Drafting: a step in which the tables write their recommendations (adviezen) as points.
    const drafting = flat.filter((f) => POINT_STEPS.has(f.step.type) && /advie[sz]/i.test(`${f.round.title} ${f.step.title} ${f.step.question}`));
    expect(drafting.length).toBeGreaterThan(0);
    expect(drafting[0]!.index).toBeGreaterThan(firstOf('inbreng'));
    const vote = flat[firstOf('stemmen')]!;
    expect(vote.index).toBeGreaterThan(drafting.at(-1)!.index);
    // Support, oppose or abstain on each recommendation on the plenary board; 70 % adopts; blind.
    expect(vote.step.vote).toEqual({ method: 'recommendations', source: 'plenary', threshold: 70, blind: true });
    expect(resolveVote(vote.step.vote!, 'burgerberaad')).toEqual({
      rules: { method: 'recommendations', threshold: 70 },
      source: 'plenary',
      blind: true,
      recommendations: [],
    });
    expect(firstOf('evaluatie')).toBeGreaterThan(vote.index);
  });

  it('has no rotation, unique ids and fits session:state', () => {
    expect(agenda.rounds.every((r) => !r.rotate)).toBe(true);
    expectUniqueIds(agenda);
    expect(() => AgendaView.parse(agenda)).not.toThrow();
    expect(types(agenda)).toEqual(expect.arrayContaining(['instructie', 'inbreng', 'clusteren', 'stemmen', 'terugkoppeling', 'evaluatie']));
  });
});

describe('agenda helpers', () => {
  const agenda: Agenda = {
    rounds: [
      { id: 'r1', question: 'Rondevraag?', rotate: false, steps: [{ id: 'a', type: 'inbreng', durationSec: 1 }] },
      {
        id: 'r2',
        rotate: true,
        steps: [
          { id: 'b', type: 'clusteren', durationSec: 1, question: 'Stapvraag?' },
          { id: 'c', type: 'pauze', durationSec: 1 },
        ],
      },
    ],
  };

  it('flatten numbers the steps across rounds', () => {
    expect(flatten(agenda).map((f) => [f.step.id, f.round.id, f.roundIndex, f.index])).toEqual([
      ['a', 'r1', 0, 0],
      ['b', 'r2', 1, 1],
      ['c', 'r2', 1, 2],
    ]);
  });

  it('findStep finds by id, and nothing for null or an unknown id', () => {
    expect(findStep(agenda, 'c')).toMatchObject({ index: 2, roundIndex: 1 });
    expect(findStep(agenda, null)).toBeUndefined();
    expect(findStep(agenda, 'zz')).toBeUndefined();
  });

  it("questionFor: the step's, else the round's, else the session's", () => {
    expect(questionFor(findStep(agenda, 'b'), 'Sessievraag?')).toBe('Stapvraag?');
    expect(questionFor(findStep(agenda, 'a'), 'Sessievraag?')).toBe('Rondevraag?');
    expect(questionFor(findStep(agenda, 'c'), 'Sessievraag?')).toBe('Sessievraag?');
    expect(questionFor(undefined, 'Sessievraag?')).toBe('Sessievraag?');
  });

  it('points may be written in inbreng and clusteren only', () => {
    expect(STEP_TYPES.filter((t) => POINT_STEPS.has(t))).toEqual(['inbreng', 'clusteren']);
  });
});
