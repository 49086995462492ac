/**
 * Evaluation responses. Like ballots (see votes.ts), a response is stored without anything
 * that points to the device; a sealed receipt allows one response per device per step.
 */
import { summariseEvaluation, type EvaluationAnswers, type EvaluationSummary } from '../shared/evaluation.js';
import type { EvaluationSubmitPayload } from '../shared/protocol.js';
import type { Db } from './db.js';
import type { Device } from './devices.js';
import { AppError } from './errors.js';
import { seal } from './secrets.js';

export class Evaluations {
  constructor(private readonly db: Db) {}

  /** Records or replaces the device's response; the caller checks that the step is running. */
  submit(device: Device, token: string, p: EvaluationSubmitPayload): { changed: boolean } {
    return this.db.transaction(() => {
      // Canonical key order, so the same answers sent again compare equal.
      const scores = Object.fromEntries(Object.entries(p.scores).sort(([a], [b]) => a.localeCompare(b)));
      const answers: EvaluationAnswers = { scores, ...(p.remark && { remark: p.remark }) };
      const json = JSON.stringify(answers);
      const mySeal = seal(`evaluation:${p.stepId}`, p.responseId, token);
      const receipt = this.db
        .prepare('SELECT seal FROM evaluation_receipts WHERE session_id = ? AND step_id = ? AND device_id = ?')
        .get(device.sessionId, p.stepId, device.id) as { seal: string } | undefined;
      if (receipt) {
        if (receipt.seal !== mySeal) throw new AppError('already_voted', 'This device has already answered this evaluation');
        const old = this.db
          .prepare('SELECT answers FROM evaluation_responses WHERE session_id = ? AND step_id = ? AND response_id = ?')
          .get(device.sessionId, p.stepId, p.responseId) as { answers: string } | undefined;
        if (old?.answers === json) return { changed: false };
        this.db
          .prepare('UPDATE evaluation_responses SET answers = ? WHERE session_id = ? AND step_id = ? AND response_id = ?')
          .run(json, device.sessionId, p.stepId, p.responseId);
        return { changed: true };
      }
      const taken = this.db
        .prepare('SELECT 1 FROM evaluation_responses WHERE session_id = ? AND step_id = ? AND response_id = ?')
        .get(device.sessionId, p.stepId, p.responseId);
      if (taken) throw new AppError('bad_request', 'This response id is already in use; the tablet should make a new one');
      this.db
        .prepare('INSERT INTO evaluation_receipts (session_id, step_id, device_id, seal) VALUES (?, ?, ?, ?)')
        .run(device.sessionId, p.stepId, device.id, mySeal);
      this.db
        .prepare('INSERT INTO evaluation_responses (session_id, step_id, response_id, answers) VALUES (?, ?, ?, ?)')
        .run(device.sessionId, p.stepId, p.responseId, json);
      return { changed: true };
    })();
  }

  summary(sessionId: string, stepId: string): EvaluationSummary {
    const rows = this.db
      .prepare('SELECT answers FROM evaluation_responses WHERE session_id = ? AND step_id = ?')
      .all(sessionId, stepId) as { answers: string }[];
    return summariseEvaluation(
      stepId,
      rows.map((r) => JSON.parse(r.answers) as EvaluationAnswers),
    );
  }

  /** Summaries of every evaluation step that has responses. */
  summaries(sessionId: string): EvaluationSummary[] {
    const steps = this.db
      .prepare('SELECT DISTINCT step_id AS id FROM evaluation_responses WHERE session_id = ?')
      .all(sessionId) as { id: string }[];
    return steps.map((s) => this.summary(sessionId, s.id));
  }

  /** Evaluation steps in which the device answered. */
  answeredIn(sessionId: string, deviceId: string): string[] {
    const rows = this.db
      .prepare('SELECT step_id AS id FROM evaluation_receipts WHERE session_id = ? AND device_id = ?')
      .all(sessionId, deviceId) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
