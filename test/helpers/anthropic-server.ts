/**
 * A loopback server that speaks enough of the Anthropic Messages API for the real SDK:
 * POST /v1/messages answers from a queue of scripted replies, or, when the queue is empty,
 * with a deterministic summary quoted from the page in the request (so whole-CLI tests can
 * run against it). Every request is recorded.
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
  | { kind: 'tool'; input: Record<string, unknown> }
  | { kind: 'text'; text: string }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> };

export interface AnthropicServer {
  url: string;
  requests: RecordedRequest[];
  enqueue: (...replies: Reply[]) => void;
  close: () => Promise<void>;
}

/** A tool_use reply carrying this summary. */
export function toolReply(content: SummaryContent & { changeSummary?: string }): Reply {
  return { kind: 'tool', input: content as unknown as Record<string, unknown> };
}

/** The default answer: the first two sentences of the page, and its lines with digits as facts, verbatim. */
function defaultSummary(prompt: string): Record<string, unknown> {
  const page = /<<<SIDE\n([\s\S]*?)\nSIDE>>>/.exec(prompt)?.[1] ?? '';
  const lines = page
    .split('\n')
    .map((l) => l.replace(/^[#>\-*\s]+/, '').trim())
    .filter((l) => l && !l.startsWith('|') && !/^\W+$/.test(l));
  const sentences = lines.filter((l) => /[.!?]$/.test(l));
  const facts = lines.filter((l) => /\d/.test(l) && /[.!?]$/.test(l)).slice(0, 5);
  return {
    summary: sentences.slice(0, 2).join(' ') || lines[0] || 'Siden har lite tekst.',
    keyFacts: facts.map((f) => ({ fact: f, quote: f })),
    appliesTo: '',
    howToApply: '',
    deadlines: [],
    ...(prompt.includes('<<<NY') ? { changeSummary: 'Siden er endret.' } : {}),
  };
}

export async function startAnthropicServer(opts: { apiKey?: string } = {}): Promise<AnthropicServer> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${n}`, ...headers }).end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
        send(404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method} ${req.url}` } });
        return;
      }
      const body = JSON.parse(raw) as RecordedRequest['body'];
      requests.push({ headers: req.headers, body });
      // The SDK sends the key as x-api-key or as a bearer token, depending on version and options.
      const key = (req.headers['x-api-key'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (!key || (opts.apiKey !== undefined && key !== opts.apiKey)) {
        send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid API key' } });
        return;
      }
      if (!req.headers['anthropic-version']) {
        send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } });
        return;
      }
      n++;
      const reply = queue.shift() ?? { kind: 'tool', input: defaultSummary(body.messages[0]?.content ?? '') };
      if (reply.kind === 'error') {
        send(reply.status, { type: 'error', error: { type: reply.type, message: reply.message } }, reply.headers);
        return;
      }
      const content =
        reply.kind === 'tool'
          ? [{ type: 'tool_use', id: `toolu_${n}`, name: body.tool_choice?.name ?? 'record_summary', input: reply.input }]
          : [{ type: 'text', text: reply.text }];
      send(200, {
        id: `msg_${n}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content,
        stop_reason: reply.kind === 'tool' ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1000 + n, output_tokens: 200, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    enqueue: (...r) => queue.push(...r),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
