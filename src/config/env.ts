/**
 * The one place that reads environment variables. Everything else gets an `Env` passed in.
 */
import { findBrowser, type BrowserChoice } from './find-browser.js';

export interface Env {
  /** ANTHROPIC_API_KEY: never logged or written anywhere. */
  anthropicApiKey?: string;
  /** ANTHROPIC_BASE_URL, as the SDK reads it (tests point it at a loopback server). */
  anthropicBaseUrl?: string;
  /**
   * The browser for `render: browser|auto`: ETI_CHROMIUM, else an installed Chrome, Chromium or
   * Edge, else the Chromium `eti browser install` downloaded (see `findBrowser`). Looked up on
   * first use, so commands that never render pay nothing.
   */
  readonly browser: BrowserChoice;
  /** `browser.path`, or "" when none was found (BrowserFetcher then reports how to get one). */
  readonly chromiumPath: string;
  /** ETI_NOW: a fixed ISO time for the clock (tests and reproducible demos). */
  fixedNow?: string;
  /** $USER / $USERNAME: the reviewer name of last resort. */
  user?: string;
  /** GITHUB_STEP_SUMMARY: a file `eti run --ci` appends its Markdown report to. */
  githubStepSummary?: string;
  /** EDITOR / VISUAL for `eti review edit`. */
  editor?: string;
  /** NO_COLOR set (any value): no colour on any stream (https://no-color.org). */
  isNoColor: boolean;
  /** FORCE_COLOR set to anything but "0" or "false": colour even when not a terminal. */
  isForceColor: boolean;
}

export function readEnv(env: Record<string, string | undefined>): Env {
  const pick = (k: string): string | undefined => {
    const v = env[k];
    return v === undefined || v === '' ? undefined : v;
  };
  let browser: BrowserChoice | undefined;
  const force = env.FORCE_COLOR;
  const out: Env = {
    get browser(): BrowserChoice {
      return (browser ??= findBrowser({ env }));
    },
    get chromiumPath(): string {
      return this.browser.path ?? '';
    },
    isNoColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    isForceColor: force !== undefined && force !== '0' && force !== 'false',
  };
  const key = pick('ANTHROPIC_API_KEY');
  if (key) out.anthropicApiKey = key;
  const base = pick('ANTHROPIC_BASE_URL');
  if (base) out.anthropicBaseUrl = base;
  const now = pick('ETI_NOW');
  if (now) out.fixedNow = now;
  const user = pick('USER') ?? pick('USERNAME');
  if (user) out.user = user;
  const summary = pick('GITHUB_STEP_SUMMARY');
  if (summary) out.githubStepSummary = summary;
  const editor = pick('VISUAL') ?? pick('EDITOR');
  if (editor) out.editor = editor;
  return out;
}

/** The value of a named variable (a webhook's signing secret), undefined when unset or empty. Never logged. */
export function readSecret(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}
