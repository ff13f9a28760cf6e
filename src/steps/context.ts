import { existsSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { readEnv, type Env } from '../config/env.js';
import { ConfigError, UsageError } from '../errors.js';
import { packageRoot } from '../demo/server.js';
import { AnthropicProvider } from '../llm/anthropic.js';
import { OfflineProvider } from '../llm/offline.js';
import { loadPrompts, type PromptSet } from '../llm/prompts.js';
import type { LlmProvider } from '../llm/provider.js';
import { acquireLock } from '../store/lock.js';
import { openStore } from '../pipeline/upgrade/index.js';
import { type FileStore, storeDirOf } from '../store/store.js';

/** Where a command reads and writes: passed in, so tests run the CLI in-process. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal: progress bars (and colour on stderr). */
  isTTY: boolean;
  /** True when stdout is a terminal: colour in what goes to stdout (diffs). Default false. */
  isStdoutTTY?: boolean;
}

/** Flags every command takes. */
export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** What a command needs: output helpers, the environment, the clock, the workspace. */
export class Context {
  readonly io: Io;
  readonly env: Env;
  readonly opts: GlobalOptions;
  readonly workspace: string;
  readonly clock: () => Date;
  #config?: LoadedConfig;
  #store?: FileStore;

  constructor(io: Io, opts: GlobalOptions) {
    this.io = io;
    this.opts = opts;
    this.env = readEnv(io.env);
    this.workspace = path.resolve(io.cwd, opts.workspace ?? '.');
    if (opts.workspace !== undefined && statSync(this.workspace, { throwIfNoEntry: false })?.isDirectory() === false) {
      throw new UsageError(
        `--workspace: ${this.workspace} is a file, not a folder`,
        'Pass the folder that holds sources.yaml (or make one with "eti init DIR").',
      );
    }
    const fixed = this.env.fixedNow;
    if (fixed !== undefined && Number.isNaN(Date.parse(fixed))) {
      throw new UsageError(`ETI_NOW: expected an ISO date-time, got "${fixed}"`);
    }
    this.clock = fixed !== undefined ? () => new Date(fixed) : () => new Date();
  }

  /** The run id stamped on every JSON line (`eti run --ci`). */
  runId?: string;

  /** CI mode: JSON lines (each with `run`), nothing for people on stdout, no progress. */
  enterCi(runId: string): void {
    this.opts.json = true;
    this.opts.quiet = true;
    this.runId = runId;
  }

  /**
   * Colour in what goes to stdout: never with NO_COLOR, always with FORCE_COLOR, else when stdout
   * (not stderr) is a terminal, so `eti diff > file` gets plain text.
   */
  get isColor(): boolean {
    if (this.env.isNoColor) return false;
    if (this.env.isForceColor) return true;
    return this.io.isStdoutTTY === true;
  }

  get isJson(): boolean {
    return this.opts.json === true;
  }

  /** A line for people (stdout); silent with --quiet or --json. */
  info(line: string): void {
    if (!this.opts.quiet && !this.isJson) this.io.stdout(`${line}\n`);
  }

  /** Detail shown only with --verbose (stderr). */
  debug(line: string): void {
    if (this.opts.verbose && !this.isJson) this.io.stderr(`${line}\n`);
  }

  /** A warning (stderr); kept with --quiet, suppressed with --json (it goes into the JSON instead). */
  warn(line: string): void {
    if (!this.isJson) this.io.stderr(`warning: ${line}\n`);
  }

  /** One JSON object per line on stdout (only with --json). */
  jsonLine(value: unknown): void {
    if (this.isJson)
      this.io.stdout(`${JSON.stringify(this.runId && value && typeof value === 'object' ? { run: this.runId, ...value } : value)}\n`);
  }

  /** Progress on a terminal only: one self-overwriting line on stderr. */
  progress(line: string): void {
    if (this.io.isTTY && !this.opts.quiet && !this.isJson) this.io.stderr(`\r\x1b[2K${line}`);
  }

  endProgress(): void {
    if (this.io.isTTY && !this.opts.quiet && !this.isJson) this.io.stderr('\r\x1b[2K');
  }

  get configFile(): string {
    return path.join(this.workspace, 'sources.yaml');
  }

  async config(): Promise<LoadedConfig> {
    this.#config ??= await loadConfig(this.configFile);
    return this.#config;
  }

  async store(): Promise<FileStore> {
    this.requireWorkspace();
    this.#store ??= await openStore(storeDirOf(this.workspace));
    return this.#store;
  }

  /**
   * The workspace must exist and be one (sources.yaml or .eti/ in it): a read-only command on a
   * mistyped folder says so instead of creating a store there and reporting an empty queue.
   */
  requireWorkspace(): void {
    const isDir = statSync(this.workspace, { throwIfNoEntry: false })?.isDirectory();
    if (isDir !== true) {
      throw new UsageError(`--workspace: no folder ${this.workspace}`, 'Check the path, or make a workspace there with "eti init DIR".');
    }
    if (!existsSync(this.configFile) && !existsSync(storeDirOf(this.workspace))) {
      throw new UsageError(
        `${this.workspace}: not an eti workspace (no sources.yaml, no .eti/)`,
        'Pass --workspace DIR, or make one here with "eti init".',
      );
    }
  }

  /** Take the workspace lock for a writing command; returns the release function. */
  async lock(command: string): Promise<() => Promise<void>> {
    this.requireWorkspace();
    await mkdir(storeDirOf(this.workspace), { recursive: true });
    return acquireLock(storeDirOf(this.workspace), command, new Date());
  }

  /** The workspace's prompt templates; a workspace without prompts/ is told where the package's are. */
  async prompts(): Promise<PromptSet> {
    const dir = path.join(this.workspace, 'prompts');
    if (!existsSync(dir)) {
      const from = path.join(packageRoot(), 'prompts');
      throw new ConfigError(
        `${dir}: no prompts folder`,
        `Copy the package's templates: cp -r ${JSON.stringify(from)} ${JSON.stringify(dir)} (or make a workspace with "eti init DIR").`,
      );
    }
    return loadPrompts(dir);
  }

  /**
   * The LLM provider: `--provider` wins, then sources.yaml `summarize.provider`, else offline.
   * A key in the environment never picks the paid provider by itself (it says so once).
   */
  async llm(flags: { provider?: string; model?: string }): Promise<LlmProvider> {
    const cfg = (await this.config()).config.summarize;
    const name = flags.provider ?? cfg.provider ?? 'offline';
    if (name === 'offline' && flags.provider === undefined && cfg.provider === undefined && this.env.anthropicApiKey) {
      this.warn(
        'ANTHROPIC_API_KEY is set but not used: the offline provider writes these summaries (pass --provider anthropic, or set summarize.provider: anthropic in sources.yaml)',
      );
    }
    if (name === 'offline') return new OfflineProvider();
    if (name === 'anthropic') {
      if (!this.env.anthropicApiKey) {
        throw new UsageError('--provider anthropic needs ANTHROPIC_API_KEY in the environment', 'Or use --provider offline.');
      }
      return new AnthropicProvider({
        apiKey: this.env.anthropicApiKey,
        ...(this.env.anthropicBaseUrl ? { baseURL: this.env.anthropicBaseUrl } : {}),
        model: flags.model ?? cfg.model,
      });
    }
    throw new UsageError(`--provider: expected "offline" or "anthropic", got "${name}"`);
  }

  /** Who is deciding: --as, else git user.name, else $USER. */
  async reviewer(as: string | undefined): Promise<string> {
    if (as?.trim()) return as.trim();
    try {
      const { stdout } = await promisify(execFile)('git', ['config', 'user.name'], { cwd: this.workspace, timeout: 2000 });
      if (stdout.trim()) return stdout.trim();
    } catch {
      // no git, or no user.name: fall through
    }
    if (this.env.user) return this.env.user;
    throw new UsageError('cannot tell who is reviewing: pass --as NAME', 'Or set git config user.name.');
  }

  /**
   * User-Agent naming eti and the contact from sources.yaml. With `withoutConfig`, a workspace
   * without sources.yaml gets the User-Agent without a contact (a broken file is still an error).
   */
  async userAgent(opts: { withoutConfig?: boolean } = {}): Promise<string> {
    const base = 'eti/0.1 (+https://github.com/eti-project/eti';
    if (opts.withoutConfig && !existsSync(this.configFile)) return `${base})`;
    const { config } = await this.config();
    return `${base}; contact: ${config.contact})`;
  }
}
