/**
 * Every refusal the engine can give: a stable code a program can branch on, and a sentence a
 * person understands. A refused command changes nothing (the store rolls its transaction back).
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'ONLY_CLIENT',
  'ONLY_FREELANCER',
  'ONLY_PARTY',
  'ONLY_STAFF',
  'ONLY_ADMIN',
  'ONLY_MEDIATOR',
  'ONLY_FILER',
  'ONLY_RESPONDENT',
  'NOT_PERMITTED',
  'INVALID_STATE',
  'SETTING_DISABLED',
  'CONTRACT_NOT_LIVE',
  'CURRENCY_MISMATCH',
  'INSUFFICIENT_FUNDS',
  'AMOUNT_EXCEEDS_ESCROW',
  'SPLIT_MISMATCH',
  'BID_MILESTONES_MISMATCH',
  'TOO_MANY_MILESTONES',
  'ALREADY_EXISTS',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'NOT_SMALL_CLAIM',
  'REVIEW_NOT_ALLOWED',
  // The database refused the write: nothing of the command was kept, and retrying will not help until someone acts.
  'STORAGE_FULL',
  'STORAGE_READ_ONLY',
  'STORAGE_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new EngineError(code, message, details);
}

/** Asserts a precondition that input validation should already have guaranteed. */
export function check(condition: unknown, code: ErrorCode, message: string): asserts condition {
  if (!condition) fail(code, message);
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}
