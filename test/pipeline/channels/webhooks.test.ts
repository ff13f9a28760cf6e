import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changesSchema } from '../../../src/pipeline/channels/changes.js';
import {
  deliverAll,
  signPayload,
  verifySignature,
  webhookBody,
  type DeliveryDeps,
  type WebhookTarget,
} from '../../../src/pipeline/channels/webhooks.js';
import { bundleSchema } from '../../../src/pipeline/publish/bundle.js';
import { assertJsonFeed } from '../../helpers/feed-validators.js';
import { twoBundles } from '../../helpers/channel-bundle.js';

const SECRET = 'whsec_test_7f3a';
const NOW = new Date('2026-02-01T12:00:00.000Z');

interface Received {
  body: string;
  signature: string;
  isValid: boolean;
  delivery: string;
}

/** A receiver that checks the signature and answers from a script (status codes, or 'hang'). */
async function receiver(
  script: (number | 'hang')[],
): Promise<{ url: string; got: Received[]; hung: (() => void)[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  /** The abort of each attempt, in order (filled by the sender's `attemptSignal`). */
  const hung: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const signature = String(req.headers['eti-signature'] ?? '');
      got.push({
        body,
        signature,
        isValid: verifySignature(signature, SECRET, body, Math.floor(NOW.getTime() / 1000)),
        delivery: String(req.headers['eti-delivery']),
      });
      const step = script[got.length - 1] ?? 200;
      if (step === 'hang') {
        hung[got.length - 1]?.(); // the sender's timeout fires now; the response never comes
        return;
      }
      res.writeHead(step, { 'content-type': 'text/plain' }).end(String(step));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    hung,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/**
 * No real waits: sleeps are recorded, and an attempt's "timeout" fires the moment the receiver
 * decides to hang (it calls `hung`), so the test never depends on the machine's speed.
 */
function deps(hung?: (() => void)[]): DeliveryDeps & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    now: () => NOW,
    sleep: async (ms) => void slept.push(ms),
    attemptSignal: () => {
      const c = new AbortController();
      hung?.push(() => c.abort(Object.assign(new Error('timed out'), { name: 'TimeoutError' })));
      return c.signal;
    },
  };
}

async function v2Changes() {
  const { v2 } = await twoBundles();
  const bundle = bundleSchema.parse(JSON.parse(await readFile(path.join(v2, 'bundle.json'), 'utf8')));
  const changes = changesSchema.parse(JSON.parse(await readFile(path.join(v2, 'changes.json'), 'utf8')));
  return { bundle, changes };
}

const target = (url: string, over: Partial<WebhookTarget> = {}): WebhookTarget => ({
  url,
  feed: 'all',
  secret: SECRET,
  timeout_ms: 10_000,
  max_attempts: 5,
  allow_private_network: true,
  ...over,
});

describe('webhooks', () => {
  it('signs like Stripe: t=<seconds>,v1=<HMAC-SHA256 of "t.body">, and a receiver can check it', () => {
    const sig = signPayload(SECRET, 1_700_000_000, '{"a":1}');
    expect(sig).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(sig, SECRET, '{"a":1}', 1_700_000_100)).toBe(true);
    expect(verifySignature(sig, SECRET, '{"a":2}', 1_700_000_100)).toBe(false);
    expect(verifySignature(sig, 'other', '{"a":1}', 1_700_000_100)).toBe(false);
    expect(verifySignature(sig, SECRET, '{"a":1}', 1_700_001_000)).toBe(false); // too old: a replay
  });

  it('retries a receiver that fails twice (5xx), then is accepted; every attempt signed; backoff 1 s, 2 s', async () => {
    const r = await receiver([500, 503, 200]);
    servers.push(r);
    const { bundle, changes } = await v2Changes();
    const d = deps();
    const [rec] = await deliverAll([target(r.url)], bundle, changes, d);
    expect(rec).toMatchObject({ outcome: 'delivered', feed: 'all', bundleId: bundle.id, entries: 2 });
    expect(rec!.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(d.slept).toEqual([1000, 2000]);
    expect(r.got).toHaveLength(3);
    expect(r.got.every((g) => g.isValid)).toBe(true);
    expect(new Set(r.got.map((g) => g.delivery))).toEqual(new Set([rec!.id]));
    // The body is a JSON Feed 1.1 of this bundle's new entries for the feed: the change and the withdrawal.
    const feed = assertJsonFeed(r.got[2]!.body) as unknown as {
      items: { _eti: { kind: string; note: string } }[];
      _eti: { bundle_id: string };
    };
    expect(feed.items.map((i) => i._eti.kind).sort()).toEqual(['updated', 'withdrawn']);
    expect(feed.items.find((i) => i._eti.kind === 'updated')!._eti.note).toBe('Satsen er økt til 8 580 kroner i året.');
    expect(feed._eti.bundle_id).toBe(bundle.id);
  });

  it('records a 4xx and does not retry it', async () => {
    const r = await receiver([410]);
    servers.push(r);
    const { bundle, changes } = await v2Changes();
    const d = deps();
    const [rec] = await deliverAll([target(r.url)], bundle, changes, d);
    expect(rec).toMatchObject({ outcome: 'rejected', attempts: [{ status: 410 }] });
    expect(d.slept).toEqual([]);
    expect(r.got).toHaveLength(1);
  });

  it('retries a timeout, and gives up after max_attempts', async () => {
    const r = await receiver(['hang', 200]);
    servers.push(r);
    const { bundle, changes } = await v2Changes();
    const [rec] = await deliverAll([target(r.url)], bundle, changes, deps(r.hung));
    expect(rec!.outcome).toBe('delivered');
    expect(rec!.attempts[0]).toMatchObject({ error: 'timeout after 10000 ms' });
    expect(rec!.attempts[1]).toMatchObject({ status: 200 });
    const down = await receiver([502, 502, 502]);
    servers.push(down);
    const d = deps();
    const [failed] = await deliverAll([target(down.url, { max_attempts: 3 })], bundle, changes, d);
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(failed!.attempts).toHaveLength(3);
    expect(d.slept).toEqual([1000, 2000]);
  });

  it('sends only to feeds this bundle added to, and refuses private receivers unless allowed', async () => {
    const { bundle, changes } = await v2Changes();
    expect(webhookBody(bundle, changes, 'source/nav/withdrawn')).toBeUndefined(); // nothing withdrawn from NAV
    expect(webhookBody(bundle, changes, 'source/fjordvik/withdrawn')!.entries).toBe(1);
    const r = await receiver([200]);
    servers.push(r);
    const [rec] = await deliverAll([target(r.url, { allow_private_network: false })], bundle, changes, deps());
    expect(rec).toMatchObject({ outcome: 'rejected' });
    expect(rec!.attempts[0]!.error).toMatch(/private or loopback address/);
    expect(r.got).toHaveLength(0);
  });
});
