/**
 * The short anonymous evaluation at the end of a burgerberaad evening: three statements scored
 * 1 (not at all) to 5 (completely), and an optional remark. Pure summary logic, shared by the
 * server (live summary, report) and its tests.
 */
export const EVALUATION_QUESTIONS = ['satisfied', 'heard', 'clear'] as const;
export type EvaluationQuestion = (typeof EVALUATION_QUESTIONS)[number];
export const SCALE = [1, 2, 3, 4, 5] as const;
export const REMARK_LENGTH = 500;

export interface EvaluationAnswers {
  scores: Partial<Record<EvaluationQuestion, number>>;
  remark?: string;
}

export interface EvaluationSummary {
  stepId: string;
  responses: number;
  questions: { id: EvaluationQuestion; counts: number[]; answered: number; average: number | null }[];
  /** Remarks in alphabetical order, so their order says nothing about who wrote them when. */
  remarks: string[];
}

export function summariseEvaluation(stepId: string, responses: EvaluationAnswers[]): EvaluationSummary {
  const questions = EVALUATION_QUESTIONS.map((id) => {
    const counts = SCALE.map(() => 0);
    let sum = 0;
    let answered = 0;
    for (const r of responses) {
      const score = r.scores[id];
      if (score === undefined) continue;
      counts[score - 1]! += 1;
      sum += score;
      answered += 1;
    }
    return { id, counts, answered, average: answered === 0 ? null : Math.round((sum / answered) * 10) / 10 };
  });
  const remarks = responses
    .map((r) => r.remark?.trim() ?? '')
    .filter((r) => r !== '')
    .sort((a, b) => a.localeCompare(b, 'nl'));
  return { stepId, responses: responses.length, questions, remarks };
}
