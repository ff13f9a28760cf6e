import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { AppError, ExitCode, messageOf } from '../errors.js';
import { loadPrompts } from '../llm/prompts.js';
import { NO_BROWSER_HINT } from '../config/find-browser.js';
import { STORE_SCHEMA_VERSION } from '../store/records.js';
import { storeDirOf } from '../store/store.js';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';

/** One check's outcome: `fail` makes `eti doctor` exit 1; `warn` does not. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** What to do about it (for warn and fail). */
  fix?: string;
}

/** The network, injectable so tests answer from loopback or pretend a host does not resolve. */
export interface DoctorNet {
  /** Resolve a host name; rejects when it does not resolve. */
  resolve: (host: string) => Promise<void>;
  /** GET a robots.txt; the HTTP status, or a rejection when the host does not answer. */
  robotsStatus: (url: string, userAgent: string) => Promise<number>;
}

const defaultNet: DoctorNet = {
  resolve: async (host) => void (await lookup(host)),
  robotsStatus: async (url, userAgent) => {
    const res = await fetch(url, { headers: { 'user-agent': userAgent }, redirect: 'follow', signal: AbortSignal.timeout(10_000) });
    await res.body?.cancel();
    return res.status;
  },
};

function nodeCheck(version: string): DoctorCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const isOk = major >= 22 || (major === 20 && minor >= 19);
  return isOk
    ? { name: 'node', status: 'ok', detail: `Node ${version}` }
    : {
        name: 'node',
        status: 'fail',
        detail: `Node ${version}; eti needs ^20.19 or 22+`,
        fix: 'Install Node 22 (https://nodejs.org) or 20.19+.',
      };
}

function browserCheck(ctx: Context, config: LoadedConfig | undefined): DoctorCheck {
  const b = ctx.env.browser;
  if (b.path && b.isPresent)
    return {
      name: 'browser',
      status: 'ok',
      detail: `${b.path} (${b.origin === 'ETI_CHROMIUM' ? 'ETI_CHROMIUM' : b.origin === 'playwright' ? 'downloaded by eti browser install' : 'installed'})`,
    };
  const needs = config?.sources.filter((s) => s.render !== 'http').map((s) => s.id) ?? [];
  const detail = b.path ? `ETI_CHROMIUM=${b.path}: no such file` : 'no Chrome, Chromium or Edge found';
  const fix = b.path ? 'Fix or unset ETI_CHROMIUM (eti then looks for an installed browser).' : `To get one: ${NO_BROWSER_HINT}.`;
  if (config && needs.length === 0) return { name: 'browser', status: 'ok', detail: `${detail}; no source needs one (all render: http)` };
  return {
    name: 'browser',
    status: 'fail',
    detail: `${detail}${needs.length ? `; pages of ${needs.length} source${needs.length === 1 ? '' : 's'} that need JavaScript will fail` : ''}`,
    fix,
  };
}

function keyCheck(ctx: Context, config: LoadedConfig | undefined): DoctorCheck {
  const provider = config?.config.summarize.provider ?? 'offline';
  const hasKey = ctx.env.anthropicApiKey !== undefined;
  if (provider === 'anthropic' && !hasKey)
    return {
      name: 'key',
      status: 'fail',
      detail: 'summarize.provider is anthropic but ANTHROPIC_API_KEY is not set',
      fix: 'Set ANTHROPIC_API_KEY, or remove summarize.provider to use the free offline provider.',
    };
  if (provider === 'anthropic')
    return { name: 'key', status: 'ok', detail: 'ANTHROPIC_API_KEY is set (not shown); summaries use the anthropic provider (paid)' };
  return hasKey
    ? {
        name: 'key',
        status: 'ok',
        detail:
          'ANTHROPIC_API_KEY is set (not shown) but unused: summaries use the offline provider unless --provider anthropic or summarize.provider: anthropic',
      }
    : {
        name: 'key',
        status: 'ok',
        detail: 'ANTHROPIC_API_KEY not set: summaries use the offline provider (free; see README "With an Anthropic API key")',
      };
}

async function workspaceChecks(ctx: Context): Promise<{ checks: DoctorCheck[]; config?: LoadedConfig }> {
  const checks: DoctorCheck[] = [];
  if (!existsSync(ctx.configFile)) {
    checks.push({
      name: 'workspace',
      status: 'fail',
      detail: `${ctx.configFile}: no such file`,
      fix: 'Make a workspace with "eti init DIR", or pass --workspace DIR.',
    });
    return { checks };
  }
  let config: LoadedConfig | undefined;
  try {
    config = await loadConfig(ctx.configFile);
    checks.push({
      name: 'workspace',
      status: 'ok',
      detail: `${ctx.configFile}: ${config.sources.length} source${config.sources.length === 1 ? '' : 's'}`,
    });
  } catch (err) {
    checks.push({
      name: 'workspace',
      status: 'fail',
      detail: messageOf(err),
      fix: (err instanceof AppError && err.hint) || 'Fix sources.yaml (the line is in the message).',
    });
  }
  try {
    await loadPrompts(path.join(ctx.workspace, 'prompts'));
    checks.push({ name: 'prompts', status: 'ok', detail: path.join(ctx.workspace, 'prompts') });
  } catch (err) {
    checks.push({
      name: 'prompts',
      status: 'fail',
      detail: messageOf(err),
      fix: `Copy the prompts/ folder of a new workspace ("eti init /tmp/x") into ${ctx.workspace}.`,
    });
  }
  checks.push(await storeCheck(ctx));
  return { checks, ...(config ? { config } : {}) };
}

/** The store's schema version from meta.json alone: a doctor never loads (or migrates) shards. */
async function storeCheck(ctx: Context): Promise<DoctorCheck> {
  const meta = path.join(storeDirOf(ctx.workspace), 'index', 'meta.json');
  let text: string;
  try {
    text = await readFile(meta, 'utf8');
  } catch {
    return { name: 'store', status: 'ok', detail: 'no store yet (the first crawl makes .eti/)' };
  }
  try {
    const version = (JSON.parse(text) as { schemaVersion?: number }).schemaVersion ?? 0;
    if (version > STORE_SCHEMA_VERSION)
      return {
        name: 'store',
        status: 'fail',
        detail: `${meta}: schema ${version}, newer than this eti (${STORE_SCHEMA_VERSION})`,
        fix: 'Update eti.',
      };
    return {
      name: 'store',
      status: 'ok',
      detail: `schema ${version}${version < STORE_SCHEMA_VERSION ? ` (migrated to ${STORE_SCHEMA_VERSION} on the next write)` : ''}`,
    };
  } catch (err) {
    return { name: 'store', status: 'fail', detail: `${meta}: not JSON (${messageOf(err)})`, fix: 'Restore .eti/ from a backup.' };
  }
}

/** Per host of the sources' start URLs: does the name resolve, does robots.txt answer (RFC 9309: 4xx = no rules). */
async function networkChecks(config: LoadedConfig, net: DoctorNet, userAgent: string): Promise<DoctorCheck[]> {
  const origins = [...new Set(config.sources.flatMap((s) => s.start_urls.map((u) => new URL(u).origin)))].sort();
  return Promise.all(
    origins.map(async (origin): Promise<DoctorCheck> => {
      const host = new URL(origin).hostname;
      const name = `host ${host}`;
      try {
        await net.resolve(host.replace(/^\[|\]$/g, ''));
      } catch (err) {
        return {
          name,
          status: 'fail',
          detail: `does not resolve (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`,
          fix: 'Check the network (DNS, proxy), or the start URL in sources.yaml.',
        };
      }
      try {
        const status = await net.robotsStatus(`${origin}/robots.txt`, userAgent);
        if (status >= 500)
          return {
            name,
            status: 'fail',
            detail: `robots.txt answers HTTP ${status}: the crawl treats the host as failing`,
            fix: 'Try again later; if it persists, tell the site owner.',
          };
        return {
          name,
          status: 'ok',
          detail: status >= 400 ? `resolves; no robots.txt (HTTP ${status}: no rules)` : `resolves; robots.txt HTTP ${status}`,
        };
      } catch (err) {
        return {
          name,
          status: 'fail',
          detail: `resolves, but robots.txt does not answer (${messageOf(err)})`,
          fix: 'Check the network, proxy or firewall.',
        };
      }
    }),
  );
}

/** Run every check; exit 1 when one fails. */
export async function runDoctor(
  ctx: Context,
  opts: { net?: DoctorNet; isOffline?: boolean; nodeVersion?: string } = {},
): Promise<{ checks: DoctorCheck[]; code: number }> {
  const ws = await workspaceChecks(ctx);
  const checks = [
    nodeCheck(opts.nodeVersion ?? process.versions.node),
    browserCheck(ctx, ws.config),
    keyCheck(ctx, ws.config),
    ...ws.checks,
  ];
  if (ws.config && !opts.isOffline) {
    const hosts = await networkChecks(ws.config, opts.net ?? defaultNet, await ctx.userAgent());
    checks.push(...hosts);
    // Every host unknown is one cause, not twenty: say it once, first among the host lines.
    if (hosts.length > 1 && hosts.every((h) => h.detail.startsWith('does not resolve'))) {
      checks.splice(checks.length - hosts.length, 0, {
        name: 'network',
        status: 'fail',
        detail: 'no source host resolves: this machine seems to have no network or DNS',
        fix: 'Connect to the network (or set the proxy), then run eti doctor again.',
      });
    }
  } else
    checks.push({
      name: 'network',
      status: 'skip',
      detail: opts.isOffline ? '--offline: hosts not checked' : 'no valid sources.yaml: hosts not checked',
    });
  const code = checks.some((c) => c.status === 'fail') ? ExitCode.checkFailed : ExitCode.ok;
  if (ctx.isJson) ctx.jsonLine({ type: 'doctor', ok: code === 0, checks });
  for (const c of checks) {
    ctx.info(`${c.status.toUpperCase().padEnd(5)} ${c.name.padEnd(10)} ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ''}`);
  }
  return { checks, code };
}

/** `eti doctor [--offline]`. */
export function doctorCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('doctor')
    .description(
      "Check this machine and workspace: Node, browser, API key, sources.yaml, prompts, store, each source's host and robots.txt.",
    )
    .option('--offline', 'skip the network checks (DNS and robots.txt)')
    .addHelpText(
      'after',
      examples(['eti doctor', 'eti doctor --offline', 'eti doctor --json']) +
        '\nExit 1 when a check fails; each failing line says how to fix it.\n',
    )
    .action(async (flags: { offline?: boolean }) => {
      done((await runDoctor(ctx(), { isOffline: flags.offline === true })).code);
    });
}
