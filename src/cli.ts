#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { auditCommand } from './commands/audit.js';
import { Context, type GlobalOptions, type Io } from './commands/context.js';
import { crawlCommand } from './commands/crawl.js';
import { extractCommand } from './commands/extract.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff.js';
import { publishCommand } from './commands/publish.js';
import { reviewCommand } from './commands/review.js';
import { runCommand } from './commands/run.js';
import { gcCommand } from './commands/gc.js';
import { schemaCommand } from './commands/schema.js';
import { siteCommand } from './commands/site.js';
import { summarizeCommand } from './commands/summarize.js';
import { AppError, ExitCode } from './errors.js';

const EXIT_CODES_HELP = `
Exit codes:
  0   done
  1   a check failed (publish --check; audit --fail-on; extract could not read the page)
  2   bad input: usage, sources.yaml, unknown id (nothing was changed)
  3   done, but some pages or sources failed
  4   run --ci: done, and this run created items for review
  5   could not run: workspace locked, store unreadable, provider refused
  70  a bug in eti (with a stack trace)
`;

/**
 * Run the eti CLI with `argv` (without the node and script entries) and return the exit
 * code. The only place that turns errors into output; it never exits the process itself,
 * so tests run it in-process.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = ExitCode.ok;
  let ctx: Context | undefined;
  const program = new Command('eti')
    .description('Crawl, summarise, review and publish plain-language public information for families of children with complex needs.')
    .version('0.1.0')
    .option('-w, --workspace <dir>', 'folder with sources.yaml, prompts/, the store (.eti/) and output/ (default: current folder)')
    .option('--json', 'machine-readable output: one JSON object per line')
    .option('-q, --quiet', 'print only warnings and errors')
    .option('-v, --verbose', 'print more detail')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP);

  const getCtx = (): Context => (ctx ??= new Context(io, program.opts<GlobalOptions>()));
  const done = (c: number): void => {
    code = c;
  };
  for (const make of [crawlCommand, extractCommand, summarizeCommand, diffCommand, reviewCommand, publishCommand, siteCommand, auditCommand, runCommand, gcCommand, demoCommand, schemaCommand]) {
    const cmd = make(getCtx, done);
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
    for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
    program.addCommand(cmd);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof AppError) {
      if (ctx?.isJson) io.stdout(JSON.stringify({ ...(ctx.runId ? { run: ctx.runId } : {}), type: 'error', code: err.code, exitCode: err.exitCode, message: err.message, hint: err.hint }) + '\n');
      io.stderr(`eti: ${err.message}\n`);
      if (err.hint) io.stderr(`hint: ${err.hint}\n`);
      return err.exitCode;
    }
    io.stderr(`eti: internal error (a bug in eti; please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.internal;
  }
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}
