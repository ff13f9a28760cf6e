import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { packageRoot } from '../demo/server.js';
import type { AnswerProvider } from '../llm/answer.js';
import { AnthropicAnswerProvider } from '../llm/anthropic-answer.js';
import { costUsd, priceFor } from '../llm/cost.js';
import { loadPrompts, type PromptSet } from '../llm/prompts.js';
import { type AskResult, ask, PassageIndex, passagesOf, readBundle } from '../pipeline/ask/index.js';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';
import { bundleDir } from '../steps/site.js';

export interface AskFlags {
  audience?: string;
  bundle?: string;
  provider?: string;
  model?: string;
}

const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** The answering provider: offline unless `--provider anthropic` (a key alone never picks it). */
function answerProvider(ctx: Context, flags: AskFlags): AnswerProvider | undefined {
  const name = flags.provider ?? 'offline';
  if (name === 'offline') return undefined;
  if (name !== 'anthropic') throw new UsageError(`--provider: expected "offline" or "anthropic", got "${name}"`);
  if (!ctx.env.anthropicApiKey)
    throw new UsageError('--provider anthropic needs ANTHROPIC_API_KEY in the environment', 'Or use --provider offline.');
  return new AnthropicAnswerProvider({
    apiKey: ctx.env.anthropicApiKey,
    ...(ctx.env.anthropicBaseUrl ? { baseURL: ctx.env.anthropicBaseUrl } : {}),
    model: flags.model ?? DEFAULT_MODEL,
  });
}

/** The ask templates: the workspace's prompts/ when it has them, else the package's. */
async function askPrompts(ctx: Context): Promise<PromptSet> {
  const own = path.join(ctx.workspace, 'prompts');
  const dir = existsSync(path.join(own, 'ask.system.md')) ? own : path.join(packageRoot(), 'prompts');
  return loadPrompts(dir);
}

/** What people read: the answer with numbered sources, or the refusal with the nearest pages. */
function printAnswer(ctx: Context, r: AskResult): void {
  if (r.ignoredInstructions.length > 0)
    ctx.warn(`ignored ${r.ignoredInstructions.length} sentence(s) of the question addressed to the assistant`);
  if (r.isRefused) {
    ctx.info(r.answer);
    if (r.nearestPages.length > 0) {
      ctx.info('\nNærmeste sider:');
      for (const p of r.nearestPages) ctx.info(`- ${p.title} (${p.owner}): ${p.url}`);
    }
    return;
  }
  const sources: string[] = [];
  const lines = r.sentences.map((s) => {
    const marks = s.citations.map((c) => {
      const key = `${c.url}\u0000${c.quote}`;
      let n = sources.indexOf(key);
      if (n < 0) n = sources.push(key) - 1;
      return `[${n + 1}]`;
    });
    return `${s.text} ${[...new Set(marks)].join('')}`;
  });
  ctx.info(lines.join('\n'));
  ctx.info('\nKilder:');
  sources.forEach((key, i) => {
    const [url, quote] = key.split('\u0000') as [string, string];
    const c = r.sentences.flatMap((s) => s.citations).find((x) => x.url === url && x.quote === quote)!;
    ctx.info(`[${i + 1}] ${c.title}: ${url} (tegn ${c.start}–${c.end}): «${quote}»`);
  });
}

/** Answer one question from a published bundle; prints it (or one JSON object with --json). */
export async function runAsk(ctx: Context, question: string, flags: AskFlags): Promise<AskResult> {
  const provider = answerProvider(ctx, flags);
  const dir = await bundleDir(ctx, flags.bundle);
  const bundle = await readBundle(dir);
  const { passages, pages } = passagesOf(bundle, flags.audience);
  if (pages.length === 0) {
    const audiences = [...new Set(bundle.pages.map((p) => p.audience))].sort().join(', ') || 'none';
    throw new UsageError(`--audience: the bundle ${path.basename(dir)} has no pages for "${flags.audience}" (it has: ${audiences})`);
  }
  const result = await ask(question, new PassageIndex(passages), provider ? { provider, prompts: await askPrompts(ctx) } : {});
  const price = priceFor(result.provider, result.model);
  const cost = price ? costUsd(result.usage, price) : undefined;
  printAnswer(ctx, result);
  // Dropped sentences are never shown, not even in JSON: only why they were dropped.
  const dropped = result.dropped.map((d) => ({ codes: [...new Set(d.findings.map((f) => f.code))] }));
  ctx.jsonLine({ type: 'ask-result', bundle: bundle.id, ...result, dropped, ...(cost === undefined ? {} : { costUsd: cost }) });
  return result;
}

export function askCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('ask')
    .description(
      'Answer a question in Norwegian from the approved, published content only; every sentence cites its source and is verified.',
    )
    .argument('<question>', 'the question, in Norwegian (at most 2,000 characters)')
    .option('--audience <name>', 'answer only from pages written for this audience (parents, youth, professionals)')
    .option('--bundle <id|dir>', 'bundle id under <workspace>/output, or a bundle folder (default: the latest)')
    .option('--provider <name>', 'offline (default: picks source sentences, no key) or anthropic (ANTHROPIC_API_KEY)')
    .option('--model <id>', `model for --provider anthropic (default: ${DEFAULT_MODEL})`)
    .addHelpText(
      'after',
      examples([
        'eti ask "Hvor mye er grunnstønad sats 1 per måned?"',
        'eti ask "Hva er klagefristen for avlastning?" --json --bundle eti-demo/output/20261202-0c8d04d0e0ec',
      ]) +
        '\nWhen the approved content does not answer the question, eti says «Dette finner jeg ikke i det godkjente innholdet» and lists the nearest pages (exit 0).\n',
    )
    .action(async (question: string, flags: AskFlags) => {
      await runAsk(ctx(), question, flags);
      done(0);
    });
}
