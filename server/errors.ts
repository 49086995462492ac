/** Errors the server answers with on purpose: a code clients can translate, and a plain message. */
import type { z } from 'zod';
import { describeIssues, type ErrorCode, type ErrorInfo } from '../shared/protocol.js';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  bad_request: 400,
  bad_image: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  session_not_found: 404,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_connections: 429,
  internal: 500,
  not_stored: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorInfo['issues'],
  ) {
    super(message);
  }

  get status(): number {
    return HTTP_STATUS[this.code] ?? 409;
  }

  toInfo(): ErrorInfo {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

/** Hosted mode: what was written could not be committed in Postgres, so it is not acknowledged. */
export function notStored(): AppError {
  return new AppError('not_stored', 'Not stored: this server lost the session to another; try again');
}

export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('bad_request', `Invalid ${what}`, describeIssues(result.error));
  return result.data;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  return { code: 'internal', message: 'Something went wrong on the server' };
}
