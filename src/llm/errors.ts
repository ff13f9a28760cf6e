import { AppError, ExitCode } from '../errors.js';
import type { TokenUsage } from '../pipeline/types.js';

/**
 * A provider failed for one request. `isRetryable` says whether the same request may succeed
 * later (429, 529, 5xx, network); `isFatal` says the whole run should stop (bad key, budget).
 */
export class LlmError extends AppError {
  readonly isRetryable: boolean;
  readonly isFatal: boolean;
  constructor(code: string, message: string, opts: { isRetryable: boolean; isFatal: boolean; cause?: unknown }) {
    super(code, message, { exitCode: ExitCode.cannotRun, cause: opts.cause });
    this.isRetryable = opts.isRetryable;
    this.isFatal = opts.isFatal;
  }
}

/** `llm-invalid-output`, carrying the tokens the invalid responses used (they are billed too). */
export class InvalidOutputError extends LlmError {
  readonly usage: TokenUsage;
  constructor(message: string, usage: TokenUsage) {
    super('llm-invalid-output', message, { isRetryable: false, isFatal: false });
    this.usage = usage;
  }
}
