import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannotRunError } from '../../src/errors.js';
import { acquireLock } from '../../src/store/lock.js';
import type { PageRecord } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'eti-store-'));

function page(sourceId: string, url: string): PageRecord {
  return {
    url,
    sourceId,
    finalUrl: url,
    redirects: [],
    depth: 0,
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    versions: [],
  };
}

describe('Store', () => {
  it('shards per source and writes only on flush', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    await store.putPage(page('nav', 'https://nav.example/a'));
    await store.putPage(page('kommune', 'https://k.example/b'));
    expect((await readdir(path.join(dir, 'index'))).sort()).toEqual([]);
    await store.flush();
    expect((await readdir(path.join(dir, 'index'))).sort()).toEqual(['kommune.json', 'nav.json']);
    const reopened = await Store.open(dir);
    expect(await reopened.sourceIds()).toEqual(['kommune', 'nav']);
    expect((await reopened.page('nav', 'https://nav.example/a'))?.url).toBe('https://nav.example/a');
  });

  it('rewrites only the shards that changed', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    await store.putPage(page('a', 'https://a.example/'));
    await store.putPage(page('b', 'https://b.example/'));
    await store.flush();
    const before = await readFile(path.join(dir, 'index', 'b.json'), 'utf8');
    await writeFile(path.join(dir, 'index', 'b.json'), before.replace('"depth":0', '"depth":7'));
    await store.putPage({ ...page('a', 'https://a.example/'), depth: 3 });
    await store.flush();
    // b was not dirty, so the hand edit survives: proof that b.json was not rewritten.
    expect(await readFile(path.join(dir, 'index', 'b.json'), 'utf8')).toContain('"depth":7');
  });

  it('stores content-addressed gzip blobs once', async () => {
    const store = await Store.open(await tmp());
    const h1 = await store.blobs.put('Grunnstønad sats 1: 8 232 kroner');
    const h2 = await store.blobs.put('Grunnstønad sats 1: 8 232 kroner');
    expect(h1).toBe(h2);
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.blobs.get(h1)).toBe('Grunnstønad sats 1: 8 232 kroner');
    expect(await store.blobs.get('0'.repeat(64))).toBeUndefined();
  });

  it('names a corrupt shard in a one-line error', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    await store.putPage(page('nav', 'https://nav.example/a'));
    await store.flush();
    await writeFile(path.join(dir, 'index', 'nav.json'), '{"pages": {');
    const again = await Store.open(dir);
    await expect(again.shard('nav')).rejects.toThrow(/index\/nav\.json: cannot read the store index/);
  });

  it('skips a torn last line of the review log', async () => {
    const dir = await tmp();
    const store = await Store.open(dir);
    await store.appendLog([{ at: 't', by: 'kari', action: 'approved', itemId: 'abc', url: 'u', contentHash: 'h' }]);
    await writeFile(path.join(dir, 'review-log.jsonl'), '{"at":"t2","by":"o', { flag: 'a' });
    expect((await store.log()).map((e) => e.by)).toEqual(['kari']);
  });
});

describe('workspace lock', () => {
  it('refuses a second holder, naming pid and start time, and recovers a stale lock', async () => {
    const dir = await tmp();
    const release = await acquireLock(dir, 'crawl', new Date('2026-11-24T10:00:00Z'));
    const err = await acquireLock(dir, 'run', new Date()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CannotRunError);
    expect((err as Error).message).toContain(`pid ${process.pid}`);
    expect((err as Error).message).toContain('2026-11-24T10:00:00.000Z');
    await release();
    // A lock left by a process that no longer exists is taken over.
    await writeFile(
      path.join(dir, 'lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), command: 'crawl', startedAt: 'x' }),
    );
    const again = await acquireLock(dir, 'crawl', new Date());
    await again();
  });
});
