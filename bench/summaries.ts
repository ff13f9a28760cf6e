/**
 * `npm run bench:summaries`: how trustworthy and cheap the summaries are on the demo corpus
 * (demo/site/v1, then v2), for the offline provider and for the Anthropic provider driven
 * through the real SDK against a scripted loopback Messages API.
 *
 * The scripted model answers like a careful one: the page's first sentences as the summary and
 * its sentences with figures as key facts, each quoted verbatim from the page text; for a
 * changed page a change summary without figures. It reports usage as the API does, with the
 * fixed system prompt written to the prompt cache once and read afterwards (its size estimated
 * as characters / 4). One extra page is answered with an invented amount, to show the verifier
 * catching it (a true positive, counted apart).
 *
 * Prints per provider and step: pages summarised, items flagged by the grounding verifier
 * (false positives: flagged items whose summary is correct — must be 0), mean LIX of the pages
 * and of the summaries, tokens and estimated cost per page, and LLM calls on an unchanged
 * recrawl (must be 0). No timings: nothing here depends on the machine.
 *
 * Usage: node dist/bench/summaries.js [--json]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Context, type Io } from '../src/steps/context.js';
import { runCrawl } from '../src/steps/crawl.js';
import { prepareDemoWorkspace } from '../src/commands/demo.js';
import { runSummarize } from '../src/steps/summarize.js';
import { startDemoServer, type DemoServer } from '../src/demo/server.js';
import { totalTokens } from '../src/llm/cost.js';
import { splitSentences } from '../src/llm/norwegian.js';
import { plainLanguageTotals } from '../src/pipeline/verify/plain-language.js';
import type { QueueResult } from '../src/pipeline/summarize/queue.js';
import type { Store } from '../src/store/store.js';

const KEY = 'sk-ant-bench-not-a-real-key';
const INVENTED = '47 111 kroner';

/** Strip Markdown to the page's plain-text form, so quotes are verbatim from the page text. */
function plain(line: string): string {
  return line
    .replace(/^[#>\-*\s]+/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S[^*_]*?)\1/g, '$2')
    .trim();
}

function scriptedSummary(prompt: string, isInvented: boolean): Record<string, unknown> {
  const page = /<<<SIDE\n([\s\S]*?)\nSIDE>>>/.exec(prompt)?.[1] ?? '';
  const lines = page
    .split('\n')
    .map(plain)
    .filter((l) => l && !l.startsWith('|') && !/^\W+$/.test(l));
  const sentences = lines.flatMap((l) => (/[.!?]$/.test(l) ? splitSentences(l) : []));
  const facts = sentences.filter((s) => /\d/.test(s)).slice(0, 5);
  const summary = sentences.slice(0, 3).join(' ') || lines[0] || 'Siden har lite tekst.';
  const invented = `Alle familier får ${INVENTED} i året.`;
  const first = sentences[0] ?? lines[0] ?? summary;
  // The evidence the tool schema requires: each copied sentence quotes itself; the invented one cites the first sentence.
  const cite = (field: string, text: string, quote = text): { field: string; text: string; quotes: { quote: string }[] } => ({
    field,
    text,
    quotes: [{ quote }],
  });
  return {
    summary: isInvented ? `${summary} ${invented}` : summary,
    keyFacts: facts.map((f) => ({ fact: f, quote: f })),
    appliesTo: '',
    howToApply: '',
    deadlines: [],
    contacts: [],
    ...(prompt.includes('<<<NY') ? { changeSummary: 'Siden er endret. Les den nye teksten.' } : {}),
    evidence: [
      ...(sentences.length > 0 ? sentences.slice(0, 3) : [summary]).map((t) => cite('summary', t)),
      ...(isInvented ? [cite('summary', invented, first)] : []),
      ...facts.map((f) => cite('keyFacts', f)),
      ...(prompt.includes('<<<NY')
        ? [cite('changeSummary', 'Siden er endret.', first), cite('changeSummary', 'Les den nye teksten.', first)]
        : []),
    ],
  };
}

/** A scripted Messages API on loopback: enough of POST /v1/messages for the SDK. */
async function startScriptedApi(): Promise<{ url: string; close: () => Promise<void>; calls: () => number }> {
  const cached = new Set<string>();
  let n = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as {
        model: string;
        system: { text: string }[];
        messages: { content: string }[];
        tool_choice: { name: string };
      };
      n++;
      const system = body.system.map((s) => s.text).join('\n');
      const systemTokens = Math.ceil(system.length / 4);
      const isCached = cached.has(system);
      cached.add(system);
      const prompt = body.messages[0]?.content ?? '';
      const input = scriptedSummary(prompt, n === 1);
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${n}` }).end(
        JSON.stringify({
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'tool_use', id: `toolu_${n}`, name: body.tool_choice.name, input }],
          stop_reason: 'tool_use',
          stop_sequence: null,
          usage: {
            // Input ≈ characters / 4 of the user prompt; output ≈ characters / 4 of the JSON answer.
            input_tokens: Math.ceil(prompt.length / 4) + 350,
            output_tokens: Math.ceil(JSON.stringify(input).length / 4),
            cache_creation_input_tokens: isCached ? 0 : systemTokens,
            cache_read_input_tokens: isCached ? systemTokens : 0,
          },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => n,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

interface Row {
  provider: string;
  step: string;
  pages: number;
  llmCalls: number;
  flagged: number;
  falsePositives: number;
  truePositives: number;
  meanSourceLix: number;
  meanSummaryLix: number;
  plainShare: string;
  tokensPerPage: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costPerPageUsd: number;
  costUsd: number;
}

async function row(provider: string, step: string, r: QueueResult, store: Store): Promise<Row> {
  const pl = plainLanguageTotals(r.summaries.map((s) => s.plainLanguage));
  const flagged = r.summaries.filter((s) => !s.grounding.isGrounded);
  // A flagged item is a true positive only when its summary states the invented amount (the text
  // is read from the store: the run's result carries no summary texts).
  const sourceOf = new Map(r.created.flatMap((i) => (i.summaryId ? [[i.summaryId, i.sourceId] as const] : [])));
  let truePositives = 0;
  for (const s of flagged) {
    const full = await store.summary(sourceOf.get(s.id) ?? '', s.id);
    if (full?.content.summary.includes(INVENTED)) truePositives++;
  }
  const pages = r.summaries.length;
  return {
    provider,
    step,
    pages,
    llmCalls: r.llmCalls,
    flagged: flagged.length,
    falsePositives: flagged.length - truePositives,
    truePositives,
    meanSourceLix: pl.meanSourceLix,
    meanSummaryLix: pl.meanSummaryLix,
    plainShare: `${pl.plain}/${pl.items}`,
    tokensPerPage: pages === 0 ? 0 : Math.round(totalTokens(r.usage) / pages),
    cacheReadTokens: r.usage.cacheReadTokens ?? 0,
    cacheWriteTokens: r.usage.cacheWriteTokens ?? 0,
    costPerPageUsd: pages === 0 ? 0 : Math.round((r.costUsd / pages) * 1e6) / 1e6,
    costUsd: r.costUsd,
  };
}

function quietIo(env: Record<string, string>): Io {
  return { stdout: () => {}, stderr: () => {}, env: { ...process.env, ...env }, cwd: process.cwd(), isTTY: false };
}

async function measure(provider: 'offline' | 'anthropic', demo: DemoServer, env: Record<string, string>): Promise<Row[]> {
  demo.setVersion('v1');
  const ws = await mkdtemp(path.join(os.tmpdir(), `eti-bench-sum-${provider}-`));
  try {
    await prepareDemoWorkspace(ws, demo.origin);
    const ctx = new Context(quietIo(env), { workspace: ws, quiet: true });
    const rows: Row[] = [];
    await runCrawl(ctx, {});
    rows.push(await row(provider, 'v1', await runSummarize(ctx, { provider }), await ctx.store()));
    await runCrawl(ctx, {});
    rows.push(await row(provider, 'v1 unchanged recrawl', await runSummarize(ctx, { provider }), await ctx.store()));
    demo.setVersion('v2');
    await runCrawl(ctx, {});
    rows.push(await row(provider, 'v2 (changed pages)', await runSummarize(ctx, { provider }), await ctx.store()));
    await runCrawl(ctx, {});
    rows.push(await row(provider, 'v2 unchanged recrawl', await runSummarize(ctx, { provider }), await ctx.store()));
    return rows;
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const demo = await startDemoServer({ version: 'v1' });
  const api = await startScriptedApi();
  try {
    const rows = [
      ...(await measure('offline', demo, { ANTHROPIC_API_KEY: '' })),
      ...(await measure('anthropic', demo, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: api.url })),
    ];
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const cols: [keyof Row, string][] = [
      ['provider', 'provider'],
      ['step', 'step'],
      ['pages', 'pages'],
      ['llmCalls', 'LLM calls'],
      ['falsePositives', 'flagged (false +)'],
      ['truePositives', 'flagged (invented)'],
      ['meanSourceLix', 'LIX page'],
      ['meanSummaryLix', 'LIX summary'],
      ['plainShare', 'plain'],
      ['tokensPerPage', 'tokens/page'],
      ['cacheWriteTokens', 'cache write'],
      ['cacheReadTokens', 'cache read'],
      ['costPerPageUsd', 'USD/page'],
      ['costUsd', 'USD'],
    ];
    const table = [cols.map(([, h]) => h), ...rows.map((r) => cols.map(([k]) => String(r[k])))];
    const widths = cols.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
    for (const t of table) process.stdout.write(`${t.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
    process.stdout.write(
      "\nPrices: the default model's built-in list prices (claude-sonnet-5-5, USD per million tokens: input 2, output 10, cache write 2.50, cache read 0.20).\n" +
        'Scripted usage: input ≈ prompt characters / 4, output ≈ answer characters / 4; the first answer invents an amount.\n',
    );
  } finally {
    await api.close();
    await demo.close();
  }
}

await main();
