/**
 * Evaluation responses. Like ballots (see votes.ts), a response goes into a random slot of its
 * step's box in the ballot box, without anything that points to the device; a receipt that
 * holds no device id allows one response per device per step.
 */
import { REMARK_LENGTH, summariseEvaluation, type EvaluationAnswers, type EvaluationSummary } from '../shared/evaluation.js';
import type { EvaluationSubmitPayload } from '../shared/protocol.js';
import { BallotBox, slotSizeFor } from './ballotBox.js';
import type { Db } from './db.js';
import type { Device } from './devices.js';
import { AppError } from './errors.js';
import { seal, voterTag } from './secrets.js';

/** The ballot box's box for the answers to one evaluation step. */
export const evaluationBox = (sessionId: string, stepId: string): string => `evaluation:${sessionId}:${stepId}`;
/** The box for its receipts: the voter tag, and the seal; nothing else. */
export const answerReceiptBox = (sessionId: string, stepId: string): string => `receipts:evaluation:${sessionId}:${stepId}`;
export const answerReceiptSlotSize = (): number => slotSizeFor('x'.repeat(64), 'x'.repeat(64));

/** The largest response: every score, and a remark of control characters (six bytes each in JSON). */
export const evaluationSlotSize = (): number =>
  slotSizeFor('x'.repeat(64), JSON.stringify({ scores: { satisfied: 5, heard: 5, clear: 5 }, remark: '\u0001'.repeat(REMARK_LENGTH) }));

export class Evaluations {
  private readonly box: BallotBox;

  constructor(db: Db) {
    this.box = new BallotBox(db);
  }

  /** Records or replaces the device's response; the caller checks that the step is running. */
  submit(device: Device, token: string, p: EvaluationSubmitPayload): { changed: boolean } {
    // Canonical key order, so the same answers sent again compare equal.
    const scores = Object.fromEntries(Object.entries(p.scores).sort(([a], [b]) => a.localeCompare(b)));
    const answers: EvaluationAnswers = { scores, ...(p.remark && { remark: p.remark }) };
    const json = JSON.stringify(answers);
    const scope = `evaluation:${p.stepId}`;
    const mySeal = seal(scope, p.responseId, token);
    const voter = voterTag(scope, token);
    const box = evaluationBox(device.sessionId, p.stepId);
    const receipts = answerReceiptBox(device.sessionId, p.stepId);
    // Committed with the batch, receipts before answers; acknowledged after `stored()` (see Votes.submit).
    const receipt = this.box.get(receipts, voter);
    if (receipt !== undefined) {
      if (receipt !== mySeal) throw new AppError('already_voted', 'This device has already answered this evaluation');
      const old = this.box.get(box, p.responseId);
      if (old === json) return { changed: false };
      if (old === undefined) this.box.add(box, p.responseId, json, evaluationSlotSize);
      else this.box.replace(box, p.responseId, json);
      return { changed: true };
    }
    if (this.box.get(box, p.responseId) !== undefined) {
      throw new AppError('bad_request', 'This response id is already in use; the tablet should make a new one');
    }
    this.box.add(receipts, voter, mySeal, answerReceiptSlotSize);
    this.box.add(box, p.responseId, json, evaluationSlotSize);
    return { changed: true };
  }

  /** Resolves once every answer taken so far is committed. */
  stored(): Promise<void> {
    return this.box.stored();
  }

  /** Commits what waits now (on shutdown). */
  flush(): void {
    this.box.flush();
  }

  summary(sessionId: string, stepId: string): EvaluationSummary {
    return summariseEvaluation(
      stepId,
      this.box.bodies(evaluationBox(sessionId, stepId)).map((body) => JSON.parse(body) as EvaluationAnswers),
    );
  }

  /** Summaries of every evaluation step that has responses. */
  summaries(sessionId: string): EvaluationSummary[] {
    const prefix = evaluationBox(sessionId, '');
    return this.box.boxesWith(prefix).map((box) => this.summary(sessionId, box.slice(prefix.length)));
  }

  /**
   * Evaluation steps in which a device (known by its token) answered, as a function of the token:
   * the session's answered steps are looked up once for a batch of devices.
   */
  answeredBy(sessionId: string): (token: string) => string[] {
    const prefix = answerReceiptBox(sessionId, '');
    const steps = this.box.boxesWith(prefix).map((box) => box.slice(prefix.length));
    return (token) => steps.filter((step) => this.box.get(answerReceiptBox(sessionId, step), voterTag(`evaluation:${step}`, token)) !== undefined);
  }
}
