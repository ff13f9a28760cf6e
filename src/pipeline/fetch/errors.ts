/** Why a fetch failed. */
export type FetchErrorCode =
  | 'timeout'
  | 'network'
  | 'too-large'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'redirect-out-of-scope'
  | 'private-address'
  | 'bad-url'
  | 'unsupported-scheme'
  | 'download-refused'
  | 'browser-unavailable'
  | 'browser-failed';

const RETRYABLE: ReadonlySet<FetchErrorCode> = new Set(['timeout', 'network']);

/** A fetch that produced no HTTP response worth recording. `isRetryable`: the same request may work later. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string;
  readonly isRetryable: boolean;
  constructor(code: FetchErrorCode, url: string, message: string, cause?: unknown) {
    super(`${url}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'FetchError';
    this.code = code;
    this.url = url;
    this.isRetryable = RETRYABLE.has(code);
  }
}
