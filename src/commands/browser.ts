import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Command } from 'commander';
import { CannotRunError } from '../errors.js';
import { findBrowser, NO_BROWSER_HINT } from '../config/find-browser.js';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';

/** What Playwright's installer said: its exit code and its last non-empty output line. */
interface InstallerResult {
  code: number;
  lastLine: string;
}

/**
 * Run playwright-core's own installer (`playwright-core install chromium --no-shell`) with the
 * user's environment, so its proxy (HTTPS_PROXY), mirror (PLAYWRIGHT_DOWNLOAD_HOST) and cache
 * (PLAYWRIGHT_BROWSERS_PATH) settings apply. Its progress goes to our stderr as it comes.
 */
function runInstaller(ctx: Context): Promise<InstallerResult> {
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve('playwright-core/package.json')), 'cli.js');
  const isShown = (ctx.io.isTTY || ctx.opts.verbose === true) && !ctx.isJson && !ctx.opts.quiet;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'install', 'chromium', '--no-shell'], {
      env: ctx.io.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const take = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      // Its progress helps someone watching a 170 MB download; in a log, its retries and stack
      // traces bury the one line that matters, which the error below carries.
      if (isShown) ctx.io.stderr(text);
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => {
      // Playwright ends with a multi-line stack; the first "Error:" line says what went wrong.
      const lines = tail
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const reason = lines.find((l) => /^Error: (?!Download failure)/.test(l)) ?? lines[lines.length - 1] ?? '';
      resolve({ code: code ?? 1, lastLine: reason.replace(/^Error: /, '').replace(/, caused by$/, '') });
    });
  });
}

/** `eti browser install`: download Playwright's Chromium; exit 5 with the installer's reason when it cannot. */
async function install(ctx: Context): Promise<number> {
  ctx.info("Downloading Chromium with Playwright's installer (about 170 MB, into Playwright's cache)...");
  const r = await runInstaller(ctx);
  if (r.code !== 0) {
    throw new CannotRunError(
      'browser-install',
      `browser install: Playwright's installer could not download Chromium (exit ${r.code}): ${r.lastLine || 'no reason given'}`,
      'Check the network or proxy (HTTPS_PROXY); or install Chrome, Chromium or Edge yourself, or set ETI_CHROMIUM to one.',
    );
  }
  const found = findBrowser({ env: { ...ctx.io.env, ETI_CHROMIUM: undefined } });
  if (!found.path)
    throw new CannotRunError(
      'browser-install',
      'browser install: the installer finished, but no browser is where eti looks',
      `${NO_BROWSER_HINT}.`,
    );
  ctx.info(`eti will use ${found.path}`);
  ctx.jsonLine({ type: 'browser-install', path: found.path, origin: found.origin });
  return 0;
}

/** `eti browser install`: the command's builder. */
export function browserCommand(ctx: () => Context, done: (code: number) => void): Command {
  const cmd = new Command('browser').description(
    'The browser for pages that need JavaScript: "eti doctor" says which one is used; "install" downloads one.',
  );
  cmd
    .command('install')
    .description("Download Chromium with Playwright's installer (for machines without Chrome, Chromium or Edge).")
    .addHelpText(
      'after',
      examples(['eti browser install', 'HTTPS_PROXY=http://proxy:3128 eti browser install']) +
        '\neti uses, in this order: ETI_CHROMIUM, an installed Chrome, Chromium or Edge, the Chromium this downloads.\n',
    )
    .action(async () => done(await install(ctx())));
  cmd.addHelpText('after', examples(['eti browser install', 'eti doctor']));
  return cmd;
}
