/**
 * A loopback server that speaks enough of the Anthropic Messages API for the real SDK:
 * POST /v1/messages answers from a queue of scripted replies, or, when the queue is empty,
 * with a deterministic summary quoted from the page in the request (so whole-CLI tests can
 * run against it). Every request is recorded. Prompt caching is imitated: the first request
 * with a system prompt reports it as a cache write, later ones as a cache read.
 *
 * It also speaks the Message Batches API: POST /v1/messages/batches, GET …/batches/:id (the
 * batch is `in_progress` for `pollsUntilEnded` polls, then `ended`), GET …/batches/:id/results
 * (JSONL). Each batch request is answered from `enqueueBatch` replies in request order (a
 * Reply, or errored/canceled/expired), else with the default summary (or, for the claims judge's
 * tool, the judgement «supported»).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SummaryContent } from '../../src/pipeline/types.js';

export interface RecordedRequest {
  headers: http.IncomingHttpHeaders;
  body: {
    model: string;
    system?: { type: string; text: string; cache_control?: { type: string } }[];
    messages: { role: string; content: string }[];
    tools?: { name: string; input_schema: unknown }[];
    tool_choice?: { type: string; name?: string };
  };
}

export type Reply =
  /** `autoEvidence`: the server adds `evidence` at answer time, citing for each sentence the page lines it shares most words with. */
  | { kind: 'tool'; input: Record<string, unknown>; autoEvidence?: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> };

export type BatchReply = Reply | { kind: 'errored'; type: string; message: string } | { kind: 'canceled' } | { kind: 'expired' };

export interface RecordedBatch {
  id: string;
  requests: { custom_id: string; params: RecordedRequest['body'] }[];
  polls: number;
  results: { custom_id: string; result: unknown }[];
}

export interface AnthropicServer {
  url: string;
  requests: RecordedRequest[];
  /** Batches created, in order. */
  batches: RecordedBatch[];
  /** Every request line (method and path), in order. */
  log: string[];
  enqueue: (...replies: Reply[]) => void;
  enqueueBatch: (...replies: BatchReply[]) => void;
  /** Status polls a batch answers `in_progress` before it is `ended` (default 1). */
  pollsUntilEnded: number;
  /** Message requests answered before the server stops answering (later ones hang: a stuck API). Default: all. */
  stallAfter: number;
  close: () => Promise<void>;
}

/** Evidence as the tool input carries it (`version`: `ny` | `gammel`). */
export interface EvidenceInput {
  field: string;
  text: string;
  quotes: { quote: string; version?: 'ny' | 'gammel' }[];
}

/**
 * A tool_use reply carrying this summary. With `evidence` the reply carries exactly that;
 * `{ evidence: null }` sends an answer without evidence (an invalid answer); without the option, the server cites for each sentence the page lines it shares most words with, as a
 * model citing the lines it used would.
 */
export function toolReply(content: SummaryContent & { changeSummary?: string }, opts: { evidence?: EvidenceInput[] | null } = {}): Reply {
  if (opts.evidence === null) return { kind: 'tool', input: content as unknown as Record<string, unknown> };
  if (opts.evidence) return { kind: 'tool', input: { ...content, evidence: opts.evidence } };
  return { kind: 'tool', input: content as unknown as Record<string, unknown>, autoEvidence: true };
}

/** The page lines of a request's prompt (inside <<<SIDE … SIDE>>>), as the model was shown them. */
function pageLines(prompt: string): string[] {
  const page = /<<<SIDE\n([\s\S]*?)\nSIDE>>>/.exec(prompt)?.[1] ?? '';
  return page
    .split('\n')
    .map((l) =>
      l
        .replace(/^[#>\-*|\s]+/, '')
        .replace(/[|\s]+$/, '')
        .trim(),
    )
    .filter(Boolean);
}

const tokens = (s: string): Set<string> => new Set(s.toLowerCase().match(/[\p{L}]{4,}|\d+/gu) ?? []);

/** Evidence for every sentence of every field: the two page lines sharing the most words with it. */
function autoEvidence(input: Record<string, unknown>, prompt: string): EvidenceInput[] {
  const lines = pageLines(prompt);
  const out: EvidenceInput[] = [];
  const cite = (field: string, text: string, own?: string): void => {
    if (!text.trim()) return;
    const mine = tokens(text);
    const best = lines
      .map((l, i) => ({ l, i, n: [...tokens(l)].filter((t) => mine.has(t)).length }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n || a.i - b.i)
      .slice(0, 2)
      .map((x) => ({ quote: x.l }));
    const quotes = own ? [{ quote: own }, ...best] : best;
    out.push({ field, text, quotes: quotes.length > 0 ? quotes : [{ quote: lines[0] ?? text }] });
  };
  for (const [field, v] of Object.entries(input)) {
    if (typeof v === 'string') cite(field, v);
    else if (Array.isArray(v))
      for (const x of v) typeof x === 'string' ? cite(field, x) : cite(field, (x as { fact: string }).fact, (x as { quote: string }).quote);
  }
  return out;
}

/** The default answer: the first two sentences of the page, and its lines with digits as facts, verbatim. */
function defaultSummary(prompt: string): Record<string, unknown> {
  const page = /<<<SIDE\n([\s\S]*?)\nSIDE>>>/.exec(prompt)?.[1] ?? '';
  const lines = page
    .split('\n')
    .map((l) =>
      l
        .replace(/^[#>\-*\s]+/, '')
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // Markdown links: their text only, as in the page text
        .replace(/(\*\*|__|\*|_)(\S[^*_]*?)\1/g, '$2')
        .trim(),
    )
    .filter((l) => l && !l.startsWith('|') && !/^\W+$/.test(l));
  const sentences = lines.filter((l) => /[.!?]$/.test(l));
  const facts = lines.filter((l) => /\d/.test(l) && /[.!?]$/.test(l)).slice(0, 5);
  const summary = sentences.slice(0, 2).join(' ') || lines[0] || 'Siden har lite tekst.';
  const summaryQuotes = sentences.slice(0, 2).length > 0 ? sentences.slice(0, 2) : [lines[0] ?? ''];
  return {
    summary,
    keyFacts: facts.map((f) => ({ fact: f, quote: f })),
    appliesTo: '',
    howToApply: '',
    deadlines: [],
    contacts: [],
    ...(prompt.includes('<<<NY') ? { changeSummary: 'Siden er endret.' } : {}),
    // Extractive, so each sentence is its own quote; the change summary cites the page's first line.
    evidence: [
      { field: 'summary', text: summary, quotes: summaryQuotes.filter(Boolean).map((quote) => ({ quote })) },
      ...facts.map((f) => ({ field: 'keyFacts', text: f, quotes: [{ quote: f }] })),
      ...(prompt.includes('<<<NY') ? [{ field: 'changeSummary', text: 'Siden er endret.', quotes: [{ quote: lines[0] ?? summary }] }] : []),
    ],
  };
}

/** The default answer to a request: a judgement for the claims judge's tool, else a summary of the page. */
function defaultAnswer(body: RecordedRequest['body']): Record<string, unknown> {
  if (body.tool_choice?.name === 'record_judgement') return { verdict: 'supported', reason: 'Utdraget sier det samme.' };
  return defaultSummary(body.messages[0]?.content ?? '');
}

export async function startAnthropicServer(opts: { apiKey?: string } = {}): Promise<AnthropicServer> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const batchQueue: BatchReply[] = [];
  const batches: RecordedBatch[] = [];
  const log: string[] = [];
  const cachedSystems = new Set<string>();
  let n = 0;
  let origin = '';
  const state = { pollsUntilEnded: 1, stallAfter: Number.POSITIVE_INFINITY };

  const message = (body: RecordedRequest['body'], reply: Extract<Reply, { kind: 'tool' | 'text' }>): Record<string, unknown> => {
    n++;
    const system = body.system?.map((b) => b.text).join('\n') ?? '';
    const systemTokens = Math.ceil(system.length / 4);
    const isCached = cachedSystems.has(system);
    cachedSystems.add(system);
    const input =
      reply.kind === 'tool' && reply.autoEvidence
        ? { ...reply.input, evidence: autoEvidence(reply.input, body.messages[0]?.content ?? '') }
        : reply.kind === 'tool'
          ? reply.input
          : {};
    const content =
      reply.kind === 'tool'
        ? [{ type: 'tool_use', id: `toolu_${n}`, name: body.tool_choice?.name ?? 'record_summary', input }]
        : [{ type: 'text', text: reply.text }];
    return {
      id: `msg_${n}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: reply.kind === 'tool' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 1000 + n,
        output_tokens: 200,
        cache_creation_input_tokens: isCached ? 0 : systemTokens,
        cache_read_input_tokens: isCached ? systemTokens : 0,
      },
    };
  };

  const batchObject = (b: RecordedBatch): Record<string, unknown> => {
    const isEnded = b.polls > state.pollsUntilEnded;
    const count = (t: string): number => (isEnded ? b.results.filter((r) => (r.result as { type: string }).type === t).length : 0);
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: isEnded ? 'ended' : 'in_progress',
      request_counts: {
        processing: isEnded ? 0 : b.requests.length,
        succeeded: count('succeeded'),
        errored: count('errored'),
        canceled: count('canceled'),
        expired: count('expired'),
      },
      created_at: '2026-01-01T00:00:00Z',
      ended_at: isEnded ? '2026-01-01T01:00:00Z' : null,
      expires_at: '2026-01-02T00:00:00Z',
      archived_at: null,
      cancel_initiated_at: null,
      results_url: isEnded ? `${origin}/v1/messages/batches/${b.id}/results` : null,
    };
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${n}`, ...headers }).end(JSON.stringify(body));
      };
      log.push(`${req.method} ${req.url}`);
      const key = (req.headers['x-api-key'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /, '');
      const batchRoute = /^\/v1\/messages\/batches(?:\/([\w-]+)(\/results)?)?(?:\?.*)?$/.exec(req.url ?? '');
      if (batchRoute) {
        if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) {
          send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid API key' } });
          return;
        }
        const [, id, results] = batchRoute;
        if (req.method === 'POST' && !id) {
          const body = JSON.parse(raw) as { requests: RecordedBatch['requests'] };
          const b: RecordedBatch = { id: `msgbatch_${batches.length + 1}`, requests: body.requests, polls: 0, results: [] };
          for (const r of body.requests) {
            const reply = batchQueue.shift() ?? { kind: 'tool', input: defaultAnswer(r.params) };
            let result: unknown;
            if (reply.kind === 'tool' || reply.kind === 'text') result = { type: 'succeeded', message: message(r.params, reply) };
            else if (reply.kind === 'errored' || reply.kind === 'error')
              result = { type: 'errored', error: { type: 'error', error: { type: reply.type, message: reply.message }, request_id: null } };
            else result = { type: reply.kind };
            b.results.push({ custom_id: r.custom_id, result });
          }
          batches.push(b);
          send(200, batchObject(b));
          return;
        }
        const b = batches.find((x) => x.id === id);
        if (req.method !== 'GET' || !b) {
          send(404, { type: 'error', error: { type: 'not_found_error', message: `no batch ${id}` } });
          return;
        }
        if (results) {
          if (b.polls <= state.pollsUntilEnded) {
            send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'batch has not ended' } });
            return;
          }
          // Results come in any order: reversed here, so callers must match by custom_id.
          res.writeHead(200, { 'content-type': 'application/binary' }).end(
            `${[...b.results]
              .reverse()
              .map((r) => JSON.stringify(r))
              .join('\n')}\n`,
          );
          return;
        }
        b.polls++;
        send(200, batchObject(b));
        return;
      }
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        send(404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method} ${req.url}` } });
        return;
      }
      const body = JSON.parse(raw) as RecordedRequest['body'];
      requests.push({ headers: req.headers, body });
      // The SDK sends the key as x-api-key or as a bearer token, depending on version and options.
      if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) {
        send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid API key' } });
        return;
      }
      if (!req.headers['anthropic-version']) {
        send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } });
        return;
      }
      if (requests.length > state.stallAfter) return; // never answered
      const reply = queue.shift() ?? { kind: 'tool', input: defaultAnswer(body) };
      if (reply.kind === 'error') {
        n++;
        send(reply.status, { type: 'error', error: { type: reply.type, message: reply.message } }, reply.headers);
        return;
      }
      send(200, message(body, reply));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    batches,
    log,
    enqueue: (...r) => queue.push(...r),
    enqueueBatch: (...r) => batchQueue.push(...r),
    get pollsUntilEnded() {
      return state.pollsUntilEnded;
    },
    set pollsUntilEnded(v: number) {
      state.pollsUntilEnded = v;
    },
    get stallAfter() {
      return state.stallAfter;
    },
    set stallAfter(v: number) {
      state.stallAfter = v;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
