import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannotRunError } from '../../src/errors.js';
import { STORE_SCHEMA_VERSION } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';

describe('store schema migration', () => {
  it('brings a version-1 store forward: pending items get their change class, files are stamped on flush', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-migrate-'));
    const seed = await Store.open(dir); // only for its blob store
    const url = 'https://www.nav.no/a';
    const oldText = await seed.blobs.put('Satsen er 8 232 kroner.');
    const newText = await seed.blobs.put('Satsen er 8 500 kroner.');
    const md = await seed.blobs.put('# A');
    const v = (h: string) => ({ contentHash: h, markdownHash: md, rawHash: h, title: 'A', lang: 'nb', dates: {}, dateStamps: [], method: 'main', via: 'http', firstSeenAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-01-01T00:00:00Z' });
    const base = { sourceId: 'nav', url, kind: 'changed', createdAt: '2026-01-01T00:00:00Z' };
    const v1Shard = {
      schemaVersion: 1,
      sourceId: 'nav',
      pages: { [url]: { url, sourceId: 'nav', finalUrl: url, redirects: [], depth: 0, firstSeenAt: '2026-01-01T00:00:00Z', consecutiveFailures: 0, versions: [v(oldText), v(newText)] } },
      summaries: {},
      reviews: {
        p1: { ...base, id: 'p1', contentHash: newText, baseHash: oldText, status: 'pending' },
        a1: { ...base, id: 'a1', kind: 'new', contentHash: oldText, status: 'approved', decidedBy: 'Kari', decidedAt: '2026-01-01T00:00:00Z' },
      },
    };
    await mkdir(path.join(dir, 'index'), { recursive: true });
    await writeFile(path.join(dir, 'index', 'nav.json'), JSON.stringify(v1Shard));
    await writeFile(path.join(dir, 'index', 'meta.json'), JSON.stringify({ schemaVersion: 1, runs: [] }));

    const store = await Store.open(dir);
    const shard = await store.shard('nav');
    expect(shard.schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(shard.reviews.p1).toMatchObject({ changeClass: 'material', classReasons: ['figure 8 232 → 8 500'] });
    expect(shard.reviews.a1!.changeClass).toBeUndefined(); // decided items keep their history as it was
    await store.flush();
    expect(JSON.parse(await readFile(path.join(dir, 'index', 'nav.json'), 'utf8')).schemaVersion).toBe(STORE_SCHEMA_VERSION);
    expect(JSON.parse(await readFile(path.join(dir, 'index', 'meta.json'), 'utf8')).schemaVersion).toBe(STORE_SCHEMA_VERSION);
  });

  it('refuses a store written by a newer eti, naming the file, and changes nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-migrate-'));
    await mkdir(path.join(dir, 'index'), { recursive: true });
    const future = JSON.stringify({ schemaVersion: 99, sourceId: 'nav', pages: {}, summaries: {}, reviews: {} });
    await writeFile(path.join(dir, 'index', 'nav.json'), future);
    const store = await Store.open(dir);
    const err = await store.shard('nav').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CannotRunError);
    expect((err as Error).message).toMatch(/nav\.json: store schema version 99 is newer than this eti understands/);
    await store.flush();
    expect(await readFile(path.join(dir, 'index', 'nav.json'), 'utf8')).toBe(future);
  });
});
