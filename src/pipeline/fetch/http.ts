import type { Fetched } from '../types.js';
import { decodeBody } from './charset.js';
import { isPdf } from '../extract/index.js';
import { FetchError } from './errors.js';
import { type AddressPolicy, assertPublicAddress } from './net-guard.js';

/** Content types decoded as text; any other body is bytes when `keepBinary` is set. */
const TEXTUAL = /^$|^text\/|[/+](?:json|xml|javascript|ecmascript)$|^application\/(?:x-)?javascript$/;

export interface HttpFetchOptions {
  /** e.g. "eti/0.1 (+https://…; contact: …)". */
  userAgent: string;
  /** Total time for one request, body included, in ms (a source's `timeout_ms`): a body still arriving then is a `timeout`. */
  timeoutMs: number;
  /** Time to the response headers, in ms; it does not limit the body. Default: min(timeoutMs, 10 000). */
  connectTimeoutMs?: number;
  /** Largest body accepted, in bytes, counted after content decoding (a gzip bomb stops here). */
  maxBytes: number;
  /** Redirects followed at most; a loop is detected before that. */
  maxRedirects: number;
  /** Allow loopback/private addresses (tests and the demo). */
  allowPrivateNetwork: boolean;
  /** Which addresses count as public when private ones are not allowed. Default: `isPublicAddress`. */
  addressPolicy?: AddressPolicy;
  /** A redirect may not leave these hosts (undefined: any host). */
  allowedHosts?: string[];
  /** Sends If-None-Match / If-Modified-Since. */
  conditional?: { etag?: string; lastModified?: string };
  accept?: string;
  signal?: AbortSignal;
  /** Keep a binary body's bytes in `raw` (not decoded as text): a browser's sub-resource. Default: only a PDF's. */
  keepBinary?: boolean;
  /**
   * Awaited before every request starts (each redirect hop and each retry): the crawl's per-host
   * start gate, so Crawl-delay holds between all requests, not only between pages.
   */
  beforeRequest?: (url: string) => Promise<void>;
}

const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8';

/**
 * Fetch one URL. Resolves with `Fetched` for any HTTP status (the caller decides what a 404
 * means); throws `FetchError` for network problems, timeouts, oversize bodies, bad redirects
 * and refused addresses. Redirects are followed by hand so that every hop is checked.
 */
export async function fetchHttp(url: string, opts: HttpFetchOptions, clock: () => Date = () => new Date()): Promise<Fetched> {
  const redirects: string[] = [];
  const seen = new Set<string>();
  let current = url;
  const total = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([total, opts.signal]) : total;
  for (;;) {
    let parsed: URL;
    try {
      parsed = new URL(current);
    } catch {
      throw new FetchError('bad-url', current, 'not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new FetchError('unsupported-scheme', current, `${parsed.protocol} is not fetched (only http and https)`);
    }
    if (redirects.length > 0 && opts.allowedHosts && !opts.allowedHosts.includes(parsed.hostname.toLowerCase())) {
      throw new FetchError('redirect-out-of-scope', url, `redirected to ${current}, outside the allowed hosts`);
    }
    await assertPublicAddress(current, opts.allowPrivateNetwork, opts.addressPolicy);
    seen.add(current);

    const headers: Record<string, string> = {
      'user-agent': opts.userAgent,
      accept: opts.accept ?? DEFAULT_ACCEPT,
      'accept-language': 'nb,nn;q=0.9,no;q=0.8,en;q=0.5',
    };
    if (redirects.length === 0 && opts.conditional?.etag) headers['if-none-match'] = opts.conditional.etag;
    if (redirects.length === 0 && opts.conditional?.lastModified) headers['if-modified-since'] = opts.conditional.lastModified;

    await opts.beforeRequest?.(current);
    // The header timeout is cleared once headers arrive: only `total` (timeout_ms) bounds the body.
    const headerMs = opts.connectTimeoutMs ?? Math.min(opts.timeoutMs, 10_000);
    const request = new AbortController();
    const onTotal = (): void => request.abort(signal.reason);
    if (signal.aborted) onTotal();
    else signal.addEventListener('abort', onTotal, { once: true });
    let isHeaderTimeout = false;
    const headerTimer = setTimeout(() => {
      isHeaderTimeout = true;
      request.abort(new Error(`no response headers within ${headerMs} ms`));
    }, headerMs);
    let res: Response;
    try {
      res = await fetch(current, { headers, redirect: 'manual', signal: request.signal });
    } catch (err) {
      signal.removeEventListener('abort', onTotal);
      if (total.aborted || isHeaderTimeout)
        throw new FetchError('timeout', current, `no response within ${isHeaderTimeout ? headerMs : opts.timeoutMs} ms`, err);
      throw new FetchError('network', current, `network error (${causeOf(err)})`, err);
    } finally {
      clearTimeout(headerTimer);
    }
    try {
      const out = await answer(res, url, current, redirects, opts, total, clock);
      if (typeof out !== 'string') return out;
      if (seen.has(out)) throw new FetchError('redirect-loop', url, `redirect loop at ${out}`);
      if (redirects.length >= opts.maxRedirects)
        throw new FetchError('too-many-redirects', url, `more than ${opts.maxRedirects} redirects`);
      redirects.push(current);
      current = out;
    } finally {
      signal.removeEventListener('abort', onTotal);
    }
  }
}

/** The response of one hop: the `Fetched` result, or the next URL of a redirect. */
async function answer(
  res: Response,
  url: string,
  current: string,
  redirects: string[],
  opts: HttpFetchOptions,
  total: AbortSignal,
  clock: () => Date,
): Promise<Fetched | string> {
  if (res.status >= 300 && res.status < 400 && res.status !== 304) {
    const location = res.headers.get('location');
    await res.body?.cancel().catch(() => undefined);
    if (!location) throw new FetchError('network', current, `HTTP ${res.status} without a Location header`);
    return new URL(location, current).toString();
  }

  const headerObj: Record<string, string> = {};
  res.headers.forEach((v, k) => (headerObj[k.toLowerCase()] = v));
  const rawType = headerObj['content-type'] ?? '';
  const contentType = rawType.split(';')[0]!.trim().toLowerCase();
  if (res.status === 304) {
    await res.body?.cancel().catch(() => undefined);
    return {
      url,
      finalUrl: current,
      redirects,
      status: 304,
      headers: headerObj,
      contentType,
      body: '',
      bytes: 0,
      fetchedAt: clock().toISOString(),
      via: 'http',
      isNotModified: true,
    };
  }
  const declared = Number(headerObj['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > opts.maxBytes && !headerObj['content-encoding']) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchError('too-large', current, `body of ${declared} bytes exceeds the ${opts.maxBytes}-byte limit`);
  }
  const bytes = await readLimited(res, current, opts.maxBytes, total);
  const pdf = isPdf(contentType, bytes);
  const isBinary = pdf || (opts.keepBinary === true && !TEXTUAL.test(contentType));
  return {
    url,
    finalUrl: current,
    redirects,
    status: res.status,
    headers: headerObj,
    contentType,
    body: isBinary ? '' : decodeBody(bytes, rawType),
    ...(isBinary ? { raw: bytes } : {}),
    bytes: bytes.byteLength,
    fetchedAt: clock().toISOString(),
    via: 'http',
    isNotModified: false,
  };
}

async function readLimited(res: Response, url: string, maxBytes: number, total: AbortSignal): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new FetchError('too-large', url, `body exceeds the ${maxBytes}-byte limit (after decompression)`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    if (total.aborted) throw new FetchError('timeout', url, 'the body did not arrive within the timeout (timeout_ms)', err);
    throw new FetchError('network', url, `network error while reading the body (${causeOf(err)})`, err);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export interface RetryOptions {
  /** Extra attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const sleepReal = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Seconds or an HTTP date in Retry-After, as ms from now; undefined when absent or unparsable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * `fetchHttp` with retries on network errors, timeouts, 5xx and 429: exponential backoff with
 * full jitter, honouring Retry-After, each wait capped at `maxDelayMs`.
 */
export async function fetchWithRetry(url: string, opts: HttpFetchOptions & RetryOptions, clock?: () => Date): Promise<Fetched> {
  const sleep = opts.sleep ?? sleepReal;
  const random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    const backoff = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
    try {
      const r = await fetchHttp(url, opts, clock);
      const isRetryable = r.status === 429 || r.status >= 500;
      if (!isRetryable || attempt >= opts.retries) return r;
      const hinted = retryAfterMs(r.headers['retry-after']);
      await sleep(Math.min(opts.maxDelayMs, hinted ?? Math.round(backoff * random())));
    } catch (err) {
      if (!(err instanceof FetchError) || !err.isRetryable || attempt >= opts.retries) throw err;
      await sleep(Math.round(backoff * random()));
    }
  }
}
