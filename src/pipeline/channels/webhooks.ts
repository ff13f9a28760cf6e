import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookConfig } from '../../config/schema.js';
import { messageOf } from '../../errors.js';
import { sha256 } from '../../hash.js';
import type { Bundle } from '../publish/index.js';
import { FetchError } from '../fetch/index.js';
import { assertPublicAddress } from '../fetch/index.js';
import type { Changes } from './changes.js';
import { buildFeeds, jsonFeed } from './feeds.js';

/** Header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (Stripe's scheme). */
export const SIGNATURE_HEADER = 'eti-signature';

/** A webhook with its secret resolved from the environment. */
export interface WebhookTarget extends Pick<WebhookConfig, 'url' | 'feed' | 'timeout_ms' | 'max_attempts' | 'allow_private_network'> {
  secret: string;
}

/** One try at a delivery: the status the receiver answered, or why there was none. */
export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

/** What happened to one POST: delivered (2xx), rejected (a 4xx or 3xx, not retried) or failed (attempts used up). */
export interface DeliveryRecord {
  id: string;
  bundleId: string;
  url: string;
  feed: string;
  entries: number;
  outcome: 'delivered' | 'rejected' | 'failed';
  attempts: DeliveryAttempt[];
}

/** What delivering needs from outside: the clock and a way to wait, injected so tests never sleep. */
export interface DeliveryDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** The abort signal of one attempt; default `AbortSignal.timeout(timeoutMs)`. */
  attemptSignal?: (timeoutMs: number, attempt: number) => AbortSignal;
}

/** `t=…,v1=…` for `body` signed with `secret` at `timestamp` (seconds since the epoch). */
export function signPayload(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Whether a signature header is valid for `body` and `secret` and no older than `toleranceSec`
 * at `nowSec` (what a receiver checks; constant-time comparison).
 */
export function verifySignature(header: string, secret: string, body: string, nowSec: number, toleranceSec = 300): boolean {
  const parts = new Map(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = Buffer.from(signPayload(secret, t, body).split('v1=')[1]!, 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** Backoff before attempt `n + 1` after `n` failed: 1 s, 2 s, 4 s … at most 60 s. */
export function backoffMs(n: number): number {
  return Math.min(60_000, 1000 * 2 ** (n - 1));
}

/**
 * The body of one webhook: the feed as JSON Feed 1.1 holding only this bundle's new entries for
 * it, so a receiver parses it like the feed file. Undefined when the bundle adds nothing to it.
 */
export function webhookBody(bundle: Bundle, changes: Changes, feedName: string): { body: string; entries: number } | undefined {
  const entries = [...changes.added, ...changes.updated, ...changes.withdrawn];
  const feed = buildFeeds(
    entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1)),
    new Map(),
  ).find((f) => f.name === feedName);
  if (!feed || feed.entries.length === 0) return undefined;
  const doc = JSON.parse(jsonFeed(feed, bundle.createdAt)) as Record<string, unknown>;
  doc._eti = { ...(doc._eti as object), bundle_id: bundle.id, ...(bundle.previousId ? { previous_id: bundle.previousId } : {}) };
  return { body: JSON.stringify(doc), entries: feed.entries.length };
}

/**
 * POST `body` to one receiver, signed, with retries: a 5xx, 429, timeout or network error is
 * tried again after `backoffMs`, up to `max_attempts`; any other non-2xx is recorded and not
 * retried. Never throws: the outcome is in the record.
 */
export async function deliver(
  target: WebhookTarget,
  bundleId: string,
  payload: { body: string; entries: number },
  deps: DeliveryDeps,
): Promise<DeliveryRecord> {
  const id = sha256(`${bundleId}\n${target.url}\n${target.feed}`).slice(0, 16);
  const record: DeliveryRecord = {
    id,
    bundleId,
    url: target.url,
    feed: target.feed,
    entries: payload.entries,
    outcome: 'failed',
    attempts: [],
  };
  for (let n = 1; n <= target.max_attempts; n++) {
    const at = deps.now();
    const attempt: DeliveryAttempt = { at: at.toISOString() };
    record.attempts.push(attempt);
    let isRetryable = true;
    try {
      await assertPublicAddress(target.url, target.allow_private_network);
      const res = await fetch(target.url, {
        method: 'POST',
        redirect: 'manual',
        signal: (deps.attemptSignal ?? ((ms) => AbortSignal.timeout(ms)))(target.timeout_ms, n),
        headers: {
          'content-type': 'application/feed+json',
          'user-agent': 'eti-webhook',
          'eti-delivery': id,
          'eti-feed': target.feed,
          [SIGNATURE_HEADER]: signPayload(target.secret, Math.floor(at.getTime() / 1000), payload.body),
        },
        body: payload.body,
      });
      await res.body?.cancel();
      attempt.status = res.status;
      if (res.status >= 200 && res.status < 300) {
        record.outcome = 'delivered';
        return record;
      }
      isRetryable = res.status >= 500 || res.status === 429;
    } catch (err) {
      attempt.error =
        (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError'
          ? `timeout after ${target.timeout_ms} ms`
          : messageOf(err);
      // A receiver on a private address stays there: asking again cannot help.
      if (err instanceof FetchError && err.code === 'private-address') isRetryable = false;
    }
    if (!isRetryable) {
      record.outcome = 'rejected';
      return record;
    }
    if (n < target.max_attempts) await deps.sleep(backoffMs(n));
  }
  return record;
}

/**
 * Tell every receiver whose feed has new entries in this bundle. Deliveries run one after the
 * other (a handful of receivers; order is the config's, so records are deterministic in order).
 */
export async function deliverAll(
  targets: readonly WebhookTarget[],
  bundle: Bundle,
  changes: Changes,
  deps: DeliveryDeps,
): Promise<DeliveryRecord[]> {
  const records: DeliveryRecord[] = [];
  for (const t of targets) {
    const payload = webhookBody(bundle, changes, t.feed);
    if (payload) records.push(await deliver(t, bundle.id, payload, deps));
  }
  return records;
}
