/**
 * Errors that end a command. Each carries a stable code, a process exit code, a one-line
 * message that says what, where and what was got, and an optional hint. Only `cli.ts`
 * turns them into output and an exit status. Per-page problems are not errors: they are
 * `PageFailure` records (see pipeline/types.ts).
 */

/**
 * Exit codes: the single source. README's "Exit codes" table, `eti --help` and docs/ci.md are
 * checked against `EXIT_CODE_MEANINGS` by test/exit-codes.test.ts.
 */
export const ExitCode = {
  /** Everything asked for was done. */
  ok: 0,
  /**
   * A check did not pass: `publish --check` found a mismatch, `audit --fail-on` matched; or the publish
   * guard refused a bundle (`publish`, `run`: nothing approved, or over half the published pages dropped).
   */
  checkFailed: 1,
  /** Bad input: usage, sources.yaml, flags, unknown ids. Nothing was changed. */
  usage: 2,
  /** Done, but some pages or sources failed (see the run report). */
  partial: 3,
  /** Done, and items are waiting for an editor's review (`eti run --ci` only). */
  pendingReview: 4,
  /** Could not run: the workspace is locked, the store is unreadable, a provider refused. */
  cannotRun: 5,
  /** A bug in eti: a stack trace is printed. */
  internal: 70,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One line per exit code, as `eti --help` prints it and the README's table says it. */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitCodeValue, string>> = {
  0: 'done',
  1: 'a check failed (publish --check; audit --fail-on; extract could not read the page; doctor found a problem), or publish/run published nothing: nothing approved (run: only when a bundle was published before), or the bundle would drop over half the published pages',
  2: 'bad input: usage, sources.yaml, --workspace, unknown id (nothing was changed)',
  3: 'done, but some pages or sources failed',
  4: 'run --ci: done, and this run created items for review',
  5: 'could not run: workspace locked, store unreadable, provider refused, browser download failed',
  70: 'a bug in eti (with a stack trace)',
};

/** The "Exit codes:" block of `eti --help`. */
export function exitCodesHelp(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `  ${code.padEnd(3)} ${meaning}`);
  return `\nExit codes:\n${rows.join('\n')}\n`;
}

export class AppError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  constructor(code: string, message: string, opts: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.usage;
    if (opts.hint !== undefined) this.hint = opts.hint;
  }
}

/**
 * sources.yaml or another input file is invalid. Message starts with `file:line`; `details` are
 * the further errors in the file, one line each (printed as they are, not as a hint).
 */
export class ConfigError extends AppError {
  readonly details: readonly string[];
  constructor(message: string, hint?: string, details: readonly string[] = []) {
    super('config', message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
    this.details = details;
  }
}

/** A flag or argument is wrong, or names something that does not exist. */
export class UsageError extends AppError {
  constructor(message: string, hint?: string) {
    super('usage', message, { exitCode: ExitCode.usage, ...(hint === undefined ? {} : { hint }) });
  }
}

/** The environment prevents the run: lock held, store unreadable, provider unusable. Not retryable as is. */
export class CannotRunError extends AppError {
  constructor(code: string, message: string, hint?: string, cause?: unknown) {
    super(code, message, { exitCode: ExitCode.cannotRun, ...(hint === undefined ? {} : { hint }), cause });
  }
}

/** A verification failed (bundle tampered, audit condition met). */
export class CheckFailedError extends AppError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, { exitCode: ExitCode.checkFailed, ...(hint === undefined ? {} : { hint }) });
  }
}

/** The message of any thrown value, for records and one-line output. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
