/**
 * `npm run bench:citations`: Anthropic's Citations (the page as a document block; the API returns
 * cited spans as character ranges of that document, so a cited text always exists) against span
 * quotes in forced tool output (the model writes each quote out; `resolveQuote` finds it in the
 * stored text or the claim is unsupported). Both request shapes go through the real SDK to a
 * loopback Messages API whose scripted answers mis-quote every fourth span (a figure changed, a
 * word added, a sentence the page does not have).
 *
 * What it can show: how each shape carries evidence, how many spans resolve, how many are
 * invented, what the verifier then says, and tokens and cost per item under the loopback's token
 * model (request and answer characters / 4; cited text not billed as output, as the API documents).
 * What it cannot show: model quality. A real model's mistakes differ from these scripted ones.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { costUsd, priceFor } from '../src/llm/cost.js';
import { resolveQuote } from '../src/pipeline/verify/claims.js';
import { verifyClaim } from '../src/pipeline/verify/index.js';
import { loadLabelledSet } from './verify-set.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const MODEL = 'claude-haiku-4-5';

interface Item {
  page: string;
  claims: { text: string; quote: string }[];
}

/** Pages from the labelled set: each source's distinct spans, joined; its faithful claims with their first span. */
function corpus(): Item[] {
  const bySource = new Map<string, Item>();
  for (const c of loadLabelledSet(ROOT)) {
    if (c.label !== 'faithful' || c.spanRoles) continue;
    const it = bySource.get(c.source) ?? { page: '', claims: [] };
    for (const s of c.spans) if (!it.page.includes(s)) it.page += `${it.page ? '\n\n' : ''}${s}`;
    it.claims.push({ text: c.claim, quote: c.spans[0]! });
    bySource.set(c.source, it);
  }
  return [...bySource.values()];
}

/** The scripted mis-quote of every fourth span: a figure changed, else a word added, else a sentence not on the page. */
function misquote(q: string, n: number): string {
  if (n % 3 === 0 && /\d/.test(q)) return q.replace(/\d/, (d) => String((Number(d) + 1) % 10));
  if (n % 3 === 1) return q.replace(/ /, ' alltid ');
  return 'Alle familier får denne støtten uten å søke.';
}

const tokens = (s: string): number => Math.ceil(s.length / 4);

/** A loopback Messages API answering both shapes from the script in `answers` (by request order). */
async function serve(answers: unknown[][]): Promise<{ url: string; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const content = answers[n++] ?? [];
      const billed = JSON.stringify(content, (k, v) => (k === 'cited_text' ? undefined : v));
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          model: MODEL,
          content,
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: tokens(raw), output_tokens: tokens(billed) },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Tally {
  spans: number;
  resolved: number;
  invented: number;
  supported: number;
  claims: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const empty = (): Tally => ({ spans: 0, resolved: 0, invented: 0, supported: 0, claims: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });

async function run(shape: 'citations' | 'tool', items: Item[]): Promise<Tally> {
  let k = 0;
  // The script: what the "model" means to cite for each claim; every fourth intends a mis-quote.
  const answers = items.map((it) =>
    it.claims.flatMap((c) => {
      const bad = k++ % 4 === 3;
      const intended = bad ? misquote(c.quote, k) : c.quote;
      if (shape === 'tool') return [];
      // Citations: the API cites ranges of the document; a mis-quote can only become the nearest real range.
      const at = it.page.indexOf(intended);
      const start = at >= 0 ? at : Math.max(0, it.page.indexOf(c.quote.slice(0, 20)));
      const end = at >= 0 ? at + intended.length : Math.min(it.page.length, start + intended.length);
      return [
        {
          type: 'text',
          text: c.text,
          citations: [
            {
              type: 'char_location',
              cited_text: it.page.slice(start, end),
              document_index: 0,
              document_title: 'side',
              start_char_index: start,
              end_char_index: end,
            },
          ],
        },
      ];
    }),
  );
  k = 0;
  const toolAnswers = items.map((it) => [
    {
      type: 'tool_use',
      id: 'toolu_1',
      name: 'record_claims',
      input: { claims: it.claims.map((c) => ({ text: c.text, quotes: [k++ % 4 === 3 ? misquote(c.quote, k) : c.quote] })) },
    },
  ]);
  const api = await serve(shape === 'tool' ? toolAnswers : answers);
  const client = new Anthropic({ apiKey: 'bench', baseURL: api.url, maxRetries: 0 });
  const price = priceFor('anthropic', MODEL)!;
  const t = empty();
  for (const it of items) {
    const res =
      shape === 'citations'
        ? await client.messages.create({
            model: MODEL,
            max_tokens: 1024,
            messages: [
              {
                role: 'user',
                content: [
                  {
                    type: 'document',
                    source: { type: 'text', media_type: 'text/plain', data: it.page },
                    title: 'side',
                    citations: { enabled: true },
                  },
                  { type: 'text', text: 'Skriv sammendraget, én påstand per setning, med kilder.' },
                ],
              },
            ],
          })
        : await client.messages.create({
            model: MODEL,
            max_tokens: 1024,
            messages: [
              { role: 'user', content: `<<<SIDE\n${it.page}\nSIDE>>>\nSkriv sammendraget, én påstand per setning, med ordrette sitater.` },
            ],
            tools: [
              {
                name: 'record_claims',
                description: 'Lagre påstandene med sitater.',
                input_schema: {
                  type: 'object',
                  properties: {
                    claims: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { text: { type: 'string' }, quotes: { type: 'array', items: { type: 'string' } } },
                      },
                    },
                  },
                },
              },
            ],
            tool_choice: { type: 'tool', name: 'record_claims' },
          });
    t.inputTokens += res.usage.input_tokens;
    t.outputTokens += res.usage.output_tokens;
    t.costUsd += costUsd({ inputTokens: res.usage.input_tokens, outputTokens: res.usage.output_tokens }, price);
    const claims: { text: string; quotes: string[] }[] =
      shape === 'citations'
        ? res.content.flatMap((b) =>
            b.type === 'text'
              ? [{ text: b.text, quotes: (b.citations ?? []).flatMap((c) => (c.type === 'char_location' ? [c.cited_text] : [])) }]
              : [],
          )
        : ((res.content.find((b) => b.type === 'tool_use')?.input as { claims?: { text: string; quotes: string[] }[] } | undefined)
            ?.claims ?? []);
    for (const c of claims) {
      t.claims++;
      const spans = c.quotes.map((q) => resolveQuote(it.page, q, 'bench'));
      t.spans += c.quotes.length;
      t.resolved += spans.filter(Boolean).length;
      t.invented += spans.filter((s) => !s).length;
      if (
        verifyClaim(
          c.text,
          spans.flatMap((s) => (s ? [s.quote] : [])),
        ).verdict === 'supported'
      )
        t.supported++;
    }
  }
  await api.close();
  return t;
}

const items = corpus();
const nClaims = items.reduce((a, i) => a + i.claims.length, 0);
console.log(
  `bench:citations: ${items.length} pages, ${nClaims} faithful claims from the labelled set; every 4th span mis-quoted by the script`,
);
const results = { citations: await run('citations', items), tool: await run('tool', items) };
const pct = (a: number, b: number): string => `${((a / b) * 100).toFixed(1)} %`;
console.log('shape       spans  resolved        invented       claims supported   in tok/item  out tok/item  $/item');
for (const [name, t] of Object.entries(results)) {
  console.log(
    `${name.padEnd(10)} ${String(t.spans).padStart(6)}  ${String(t.resolved).padStart(4)} ${pct(t.resolved, t.spans).padStart(8)}  ${String(t.invented).padStart(4)} ${pct(t.invented, t.spans).padStart(8)}  ${String(t.supported).padStart(4)} ${pct(t.supported, t.claims).padStart(8)}  ${(t.inputTokens / items.length).toFixed(0).padStart(11)}  ${(t.outputTokens / items.length).toFixed(0).padStart(12)}  ${(t.costUsd / items.length).toFixed(5)}`,
  );
}
const [c, tl] = [results.citations, results.tool];
console.log(
  `ratios citations/tool: input tokens ${(c.inputTokens / tl.inputTokens).toFixed(2)}×, output tokens ${(c.outputTokens / tl.outputTokens).toFixed(2)}×, cost ${(c.costUsd / tl.costUsd).toFixed(2)}×`,
);
