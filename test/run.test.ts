/** The agenda's pure transitions (server/domain/run.ts): no I/O, so every rule is tested here. */
import { describe, expect, it } from 'vitest';
import { back, editAgenda, extend, goTo, LOBBY, moved, next, pause, resume, RunError, start, undo, type RunState } from '../server/domain/run.js';
import { flatten, type Agenda } from '../shared/agenda.js';
import type { AgendaInput } from '../shared/protocol.js';

const T0 = 1_700_000_000_000;

/** Round r1 (steps a, b), round r2 (steps c, d); b has no timer. */
const agenda: Agenda = {
  rounds: [
    {
      id: 'r1',
      rotate: false,
      steps: [
        { id: 'a', type: 'inbreng', durationSec: 600 },
        { id: 'b', type: 'instructie', durationSec: 0 },
      ],
    },
    {
      id: 'r2',
      rotate: true,
      title: 'Ronde 2',
      steps: [
        { id: 'c', type: 'clusteren', durationSec: 300 },
        { id: 'd', type: 'stemmen', durationSec: 120, vote: { method: 'dots', budget: 3, maxPerItem: 2 } },
      ],
    },
  ],
};

/** The same agenda as edit input. */
const asInput = (a: Agenda): AgendaInput => JSON.parse(JSON.stringify(a)) as AgendaInput;

function expectRunError(fn: () => unknown, code: RunError['code']) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a RunError').toBeInstanceOf(RunError);
  expect((caught as RunError).code).toBe(code);
}

const at = (stepId: string, now = T0): RunState => goTo(LOBBY, agenda, stepId, now);

describe('start', () => {
  it('enters the first step with its timer running', () => {
    expect(start(LOBBY, agenda, T0)).toEqual({
      status: 'running',
      stepId: 'a',
      timer: { durationMs: 600_000, running: true, endsAt: T0 + 600_000, remainingMs: 600_000 },
    });
  });

  it('is refused once the session has started or ended', () => {
    expectRunError(() => start(at('c'), agenda, T0), 'wrong_step');
    expectRunError(() => start({ status: 'ended', stepId: null, timer: null }, agenda, T0), 'wrong_step');
  });

  it('ends at once for an agenda without steps', () => {
    expect(start(LOBBY, { rounds: [] }, T0)).toEqual({ status: 'ended', stepId: null, timer: null });
  });
});

describe('next', () => {
  it('from the lobby starts the first step', () => {
    expect(next(LOBBY, agenda, T0)).toEqual(start(LOBBY, agenda, T0));
  });

  it('goes through every step, across rounds, and a new step starts its own timer', () => {
    let run = start(LOBBY, agenda, T0);
    const seen = [run.stepId];
    for (let i = 1; i < 4; i++) {
      run = next(run, agenda, T0 + i * 1000);
      seen.push(run.stepId);
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(run.timer).toEqual({ durationMs: 120_000, running: true, endsAt: T0 + 3000 + 120_000, remainingMs: 120_000 });
  });

  it('enters a step without a timer with a stopped timer of 0', () => {
    expect(next(at('a'), agenda, T0).timer).toEqual({ durationMs: 0, running: false, endsAt: null, remainingMs: 0 });
  });

  it('after the last step, the session has ended', () => {
    expect(next(at('d'), agenda, T0)).toEqual({ status: 'ended', stepId: null, timer: null });
  });

  it('is refused once the session has ended', () => {
    expectRunError(() => next({ status: 'ended', stepId: null, timer: null }, agenda, T0), 'wrong_step');
  });
});

describe('back', () => {
  it('goes to the step before, across rounds, restarting its timer', () => {
    expect(back(at('c'), agenda, T0 + 5).stepId).toBe('b');
    expect(back(at('b'), agenda, T0 + 5)).toMatchObject({ status: 'running', stepId: 'a', timer: { endsAt: T0 + 5 + 600_000 } });
  });

  it('from the end, goes to the last step', () => {
    expect(back({ status: 'ended', stepId: null, timer: null }, agenda, T0)).toMatchObject({ status: 'running', stepId: 'd' });
  });

  it('is refused on the first step and in the lobby', () => {
    expectRunError(() => back(at('a'), agenda, T0), 'wrong_step');
    expectRunError(() => back(LOBBY, agenda, T0), 'not_started');
  });
});

describe('goTo', () => {
  it('jumps to any step, from the lobby, while running and after the end', () => {
    expect(goTo(LOBBY, agenda, 'c', T0)).toMatchObject({ status: 'running', stepId: 'c' });
    expect(goTo(at('d'), agenda, 'a', T0)).toMatchObject({ status: 'running', stepId: 'a' });
    expect(goTo({ status: 'ended', stepId: null, timer: null }, agenda, 'b', T0)).toMatchObject({ status: 'running', stepId: 'b' });
  });

  it('restarts the timer when jumping to the current step', () => {
    const paused = pause(at('a', T0), T0 + 100_000);
    expect(goTo(paused, agenda, 'a', T0 + 200_000).timer).toEqual({
      durationMs: 600_000,
      running: true,
      endsAt: T0 + 800_000,
      remainingMs: 600_000,
    });
  });

  it('refuses a step that is not in the agenda', () => {
    expectRunError(() => goTo(at('a'), agenda, 'zz', T0), 'not_found');
  });
});

describe('pause, resume and extend', () => {
  it('work on the running step', () => {
    const paused = pause(at('a', T0), T0 + 60_000);
    expect(paused).toMatchObject({ status: 'running', stepId: 'a', timer: { running: false, remainingMs: 540_000, endsAt: null } });
    const resumed = resume(paused, T0 + 100_000);
    expect(resumed.timer).toMatchObject({ running: true, endsAt: T0 + 640_000 });
    const extended = extend(resumed, 60, T0 + 100_000);
    expect(extended.timer).toMatchObject({ running: true, endsAt: T0 + 700_000, durationMs: 660_000 });
    expect(extended.stepId).toBe('a');
  });

  it('are refused when no step is running (lobby, ended)', () => {
    const ended: RunState = { status: 'ended', stepId: null, timer: null };
    for (const run of [LOBBY, ended]) {
      expectRunError(() => pause(run, T0), 'not_started');
      expectRunError(() => resume(run, T0), 'not_started');
      expectRunError(() => extend(run, 60, T0), 'not_started');
    }
  });

  it('are refused for a step without a timer', () => {
    const noTimer = at('b');
    expectRunError(() => pause(noTimer, T0), 'wrong_step');
    expectRunError(() => resume(noTimer, T0), 'wrong_step');
    expectRunError(() => extend(noTimer, 60, T0), 'wrong_step');
  });
});

describe('undo', () => {
  it('goes back to the step left by the last move, with its timer as it was when it was left', () => {
    const atA = start(LOBBY, agenda, T0);
    const paused = pause(atA, T0 + 60_000); // 9 minutes left, paused
    const running = resume(paused, T0 + 120_000); // runs again: ends at T0 + 660 s
    const atB = moved(running, next(running, agenda, T0 + 180_000), T0 + 180_000);
    expect(atB.stepId).toBe('b');
    const back = undo(atB, T0 + 300_000);
    expect(back.stepId).toBe('a');
    // 8 minutes were left when it was left at T0 + 180 s; they run from the undo on.
    expect(back.timer).toMatchObject({ running: true, remainingMs: 480_000, endsAt: T0 + 300_000 + 480_000 });
    expect(back.undo).toBeNull();
  });

  it('keeps a paused timer paused, and undoes once only', () => {
    const atA = pause(start(LOBBY, agenda, T0), T0 + 1000);
    const atC = moved(atA, goTo(atA, agenda, 'c', T0 + 5000), T0 + 5000);
    const back = undo(atC, T0 + 9000);
    expect(back.timer).toMatchObject({ running: false, remainingMs: 599_000 });
    expectRunError(() => undo(back, T0 + 10_000), 'wrong_step');
  });

  it('undoes the start back to the lobby', () => {
    const atA = moved(LOBBY, start(LOBBY, agenda, T0), T0);
    expect(undo(atA, T0 + 1000)).toMatchObject({ status: 'lobby', stepId: null, timer: null });
  });
});

describe('editAgenda', () => {
  let counter = 0;
  const makeId = () => `new${++counter}`;

  it('in the lobby: anything goes, and new rounds and steps get ids', () => {
    counter = 0;
    const edited = editAgenda(
      LOBBY,
      agenda,
      {
        rounds: [
          { steps: [{ type: 'pauze', durationSec: 60 }] },
          {
            id: 'r2',
            title: 'Ronde 2',
            steps: [
              { id: 'd', type: 'inbreng', durationSec: 5 },
              { type: 'evaluatie', durationSec: 0 },
            ],
          },
        ],
      },
      makeId,
    );
    expect(edited).toEqual({
      rounds: [
        { id: 'new1', rotate: false, steps: [{ id: 'new2', type: 'pauze', durationSec: 60 }] },
        {
          id: 'r2',
          title: 'Ronde 2',
          rotate: false,
          steps: [
            { id: 'd', type: 'inbreng', durationSec: 5 },
            { id: 'new3', type: 'evaluatie', durationSec: 0 },
          ],
        },
      ],
    });
  });

  it('keeps optional fields and leaves out the ones not given', () => {
    const edited = editAgenda(
      LOBBY,
      agenda,
      {
        rounds: [
          {
            id: 'x',
            question: 'Vraag?',
            rotate: true,
            steps: [{ id: 'y', type: 'stemmen', title: 'Stem', question: 'Wat?', durationSec: 1, vote: { method: 'dots', budget: 2, maxPerItem: 1 } }],
          },
        ],
      },
      makeId,
    );
    expect(edited.rounds[0]).toStrictEqual({
      id: 'x',
      question: 'Vraag?',
      rotate: true,
      steps: [{ id: 'y', type: 'stemmen', durationSec: 1, title: 'Stem', question: 'Wat?', vote: { method: 'dots', budget: 2, maxPerItem: 1 } }],
    });
    expect(Object.keys(edited.rounds[0]!)).not.toContain('title');
  });

  it('while running: upcoming steps may change freely; past and current steps stay', () => {
    const run = at('c');
    const input = asInput(agenda);
    // Change the upcoming step d, add a step and a round; the current step may get a new duration.
    input.rounds[1]!.steps[1] = { type: 'prioriteren', durationSec: 30 };
    input.rounds[1]!.steps[0]!.durationSec = 999;
    input.rounds.push({ steps: [{ type: 'terugkoppeling', durationSec: 60 }] });
    const edited = editAgenda(run, agenda, input, makeId);
    expect(flatten(edited).map((f) => f.step.type)).toEqual(['inbreng', 'instructie', 'clusteren', 'prioriteren', 'terugkoppeling']);
    expect(
      flatten(edited)
        .slice(0, 3)
        .map((f) => f.step.id),
    ).toEqual(['a', 'b', 'c']);
    expect(edited.rounds[1]!.steps[0]!.durationSec).toBe(999);
    expect(new Set(flatten(edited).map((f) => f.step.id)).size).toBe(5);
    // Removing every upcoming step is fine too.
    const cut = asInput(agenda);
    cut.rounds[1]!.steps.pop();
    expect(flatten(editAgenda(run, agenda, cut, makeId)).map((f) => f.step.id)).toEqual(['a', 'b', 'c']);
  });

  it('while running: refuses to remove, move or retype a past or the current step', () => {
    const run = at('c');
    const variants: [string, (a: AgendaInput) => void][] = [
      ['remove a past step', (a) => a.rounds[0]!.steps.splice(0, 1)],
      ['remove the current step', (a) => a.rounds[1]!.steps.splice(0, 1)],
      ['swap two past steps', (a) => a.rounds[0]!.steps.reverse()],
      ['move the current step behind an upcoming one', (a) => a.rounds[1]!.steps.reverse()],
      ['insert a step before the current one', (a) => a.rounds[1]!.steps.unshift({ type: 'pauze', durationSec: 60 })],
      ['retype a past step', (a) => void (a.rounds[0]!.steps[0]!.type = 'clusteren')],
      ['retype the current step', (a) => void (a.rounds[1]!.steps[0]!.type = 'inbreng')],
      ['give a past step a new id', (a) => void delete a.rounds[0]!.steps[1]!.id],
      ['move the current step to another round', (a) => void (a.rounds[1]!.id = 'r9')],
      ['remove the past round', (a) => a.rounds.splice(0, 1)],
    ];
    for (const [what, change] of variants) {
      const input = asInput(agenda);
      change(input);
      expect(() => editAgenda(run, agenda, input, makeId), what).toThrow(RunError);
      try {
        editAgenda(run, agenda, input, makeId);
      } catch (err) {
        expect((err as RunError).code, what).toBe('step_locked');
      }
    }
  });

  it('on the first step, only that step is locked', () => {
    const input = asInput(agenda);
    input.rounds[0]!.steps[1]!.type = 'pauze';
    input.rounds.splice(1, 1);
    expect(flatten(editAgenda(at('a'), agenda, input, makeId)).map((f) => f.step.type)).toEqual(['inbreng', 'pauze']);
    const retyped = asInput(agenda);
    retyped.rounds[0]!.steps[0]!.type = 'pauze';
    expectRunError(() => editAgenda(at('a'), agenda, retyped, makeId), 'step_locked');
  });

  it('refuses any edit after the session has ended', () => {
    expectRunError(() => editAgenda({ status: 'ended', stepId: null, timer: null }, agenda, asInput(agenda), makeId), 'step_locked');
  });
});
