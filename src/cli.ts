#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { askCommand } from './commands/ask.js';
import { auditCommand } from './commands/audit.js';
import { browserCommand } from './commands/browser.js';
import { doctorCommand } from './commands/doctor.js';
import { initCommand } from './commands/init.js';
import { Context, type GlobalOptions, type Io } from './steps/context.js';
import { crawlCommand } from './commands/crawl.js';
import { extractCommand } from './commands/extract.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff.js';
import { publishCommand } from './commands/publish.js';
import { reviewCommand } from './commands/review.js';
import { topicsCommand } from './commands/topics.js';
import { runCommand } from './commands/run.js';
import { gcCommand } from './commands/gc.js';
import { schemaCommand } from './commands/schema.js';
import { siteCommand } from './commands/site.js';
import { summarizeCommand } from './commands/summarize.js';
import { AppError, ConfigError, ExitCode, exitCodesHelp, UsageError } from './errors.js';
import { closest } from './suggest.js';

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
    .addHelpText('after', exitCodesHelp());

  const getCtx = (): Context => (ctx ??= new Context(io, program.opts<GlobalOptions>()));
  const done = (c: number): void => {
    code = c;
  };
  for (const make of [
    initCommand,
    doctorCommand,
    crawlCommand,
    extractCommand,
    summarizeCommand,
    diffCommand,
    reviewCommand,
    topicsCommand,
    publishCommand,
    siteCommand,
    askCommand,
    auditCommand,
    runCommand,
    gcCommand,
    demoCommand,
    schemaCommand,
    browserCommand,
  ]) {
    const cmd = make(getCtx, done);
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
    for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
    program.addCommand(cmd);
  }

  try {
    checkSubcommand(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof AppError) {
      const details = err instanceof ConfigError && err.details.length > 0 ? { details: err.details } : {};
      if (ctx?.isJson)
        io.stdout(
          `${JSON.stringify({
            ...(ctx.runId ? { run: ctx.runId } : {}),
            type: 'error',
            code: err.code,
            exitCode: err.exitCode,
            message: err.message,
            ...details,
            hint: err.hint,
          })}\n`,
        );
      io.stderr(`eti: ${err.message}\n`);
      if (err instanceof ConfigError) for (const line of err.details) io.stderr(`eti: ${line}\n`);
      if (err.hint) io.stderr(`hint: ${err.hint}\n`);
      return err.exitCode;
    }
    io.stderr(
      `eti: internal error (a bug in eti; please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return ExitCode.internal;
  }
}

/** Global flags that take a value: the word after them is not a command. */
const GLOBAL_VALUE_FLAGS = new Set(['-w', '--workspace']);

/**
 * `eti review aprove`: commander would call it "too many arguments for 'review'"; say which
 * subcommand was meant instead. Only the word right after a command with subcommands is checked.
 */
function checkSubcommand(program: Command, argv: string[]): void {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += GLOBAL_VALUE_FLAGS.has(argv[i]!) ? 2 : 1;
  const cmd = program.commands.find((c) => c.name() === argv[i]);
  const word = argv[i + 1];
  if (!cmd || cmd.commands.length === 0 || word === undefined || word.startsWith('-')) return;
  const names = cmd.commands.map((c) => c.name());
  if (names.includes(word) || word === 'help') return;
  const guess = closest(word, names);
  throw new UsageError(
    `unknown command "${cmd.name()} ${word}"${guess ? ` (did you mean "${cmd.name()} ${guess}"?)` : ''}`,
    `Commands: ${names.map((n) => `${cmd.name()} ${n}`).join(', ')}.`,
  );
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // `eti review list | head -1`: once the reader has gone, the rest of stdout is dropped quietly
  // and the command finishes as it would have (locks released, store flushed), exit code intact.
  const closed = { stdout: false, stderr: false };
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      closed[name] = true;
    });
  }
  const code = await main(process.argv.slice(2), {
    stdout: (s) => void (closed.stdout || process.stdout.write(s)),
    stderr: (s) => void (closed.stderr || process.stderr.write(s)),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stderr.isTTY === true,
    isStdoutTTY: process.stdout.isTTY === true,
  });
  process.exitCode = code;
}
