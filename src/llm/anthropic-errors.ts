/**
 * The Anthropic SDK's errors as eti's: `LlmError` with retryable and fatal set truthfully, the key
 * never in a message. Used by every Anthropic call: the forced tool call (`forced-tool.ts`) and the
 * Message Batches calls (`anthropic-batches.ts`).
 */
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { LlmError } from './errors.js';

/** An SDK error (or anything thrown by a call) as an `LlmError`. */
export function toLlmError(err: unknown): LlmError {
  if (err instanceof APIConnectionError) {
    return new LlmError('llm-connection', `cannot reach the Anthropic API (${err.message})`, {
      isRetryable: true,
      isFatal: false,
      cause: err,
    });
  }
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const detail = (err.error as { error?: { message?: string } } | undefined)?.error?.message ?? '';
    if (status === 401 || status === 403) {
      return new LlmError('llm-auth', `the Anthropic API refused the key (HTTP ${status})`, {
        isRetryable: false,
        isFatal: true,
        cause: err,
      });
    }
    const isRetryable = status === 429 || status === 529 || status >= 500;
    return new LlmError(`llm-http-${status}`, `the Anthropic API answered HTTP ${status}${detail ? `: ${detail}` : ''}`, {
      isRetryable,
      isFatal: status === 400 && /credit|billing/i.test(detail),
      cause: err,
    });
  }
  return new LlmError('llm-failed', err instanceof Error ? err.message : String(err), { isRetryable: false, isFatal: false, cause: err });
}
