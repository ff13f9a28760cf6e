import { describe, expect, it } from 'vitest';
import { publishedItems } from '../../src/pipeline/review/review.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { collectGarbage } from '../../src/store/gc.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { PageRecord, VersionRecord } from '../../src/store/records.js';

const version = (contentHash: string, markdownHash: string, rawHash: string): VersionRecord => ({
  contentHash,
  markdownHash,
  rawHash,
  title: 't',
  lang: 'nb',
  dates: {},
  dateStamps: [],
  method: 'main',
  via: 'http',
  firstSeenAt: '2026-01-01T00:00:00Z',
  lastSeenAt: '2026-01-01T00:00:00Z',
});

describe('MemoryStore', () => {
  it('hands out frozen records: changing what was read throws, putting a new record works', async () => {
    const store = new MemoryStore();
    const url = 'https://nav.example/a';
    const original: PageRecord = {
      url,
      sourceId: 'nav',
      finalUrl: url,
      redirects: [],
      depth: 0,
      firstSeenAt: '2026-01-01T00:00:00Z',
      consecutiveFailures: 0,
      versions: [],
    };
    store.putPage(original);
    original.depth = 9; // the caller's object is not the stored one
    const read = (await store.page('nav', url))!;
    expect(read.depth).toBe(0);
    expect(() => {
      (read as PageRecord).depth = 3;
    }).toThrow(TypeError);
    expect(() => (read.versions as VersionRecord[]).push(version('a', 'b', 'c'))).toThrow(TypeError);
    store.putPage({ ...read, depth: 3 });
    expect((await store.page('nav', url))!.depth).toBe(3);
    expect(store.writes).toBe(2);
    await store.flush();
    expect([store.flushes, store.writes]).toEqual([1, 0]);
  });

  it('runs gc like the file store: old versions and their blobs go, what the published item refers to stays', async () => {
    const store = new MemoryStore();
    const url = 'https://nav.example/a';
    const v = [];
    for (const t of ['v1', 'v2', 'v3'])
      v.push(version(await store.blobs.put(t), await store.blobs.put(`# ${t}`), await store.blobs.put(`<p>${t}</p>`)));
    await store.shard('nav');
    store.putPage({
      url,
      sourceId: 'nav',
      finalUrl: url,
      redirects: [],
      depth: 0,
      firstSeenAt: '2026-01-01T00:00:00Z',
      consecutiveFailures: 0,
      versions: v,
    });
    const approved: ReviewItem = {
      id: 'i1',
      sourceId: 'nav',
      url,
      kind: 'new',
      contentHash: v[0]!.contentHash,
      status: 'approved',
      decidedBy: 'Kari',
      decidedAt: '2026-01-02T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
    };
    store.putReview(approved);
    const r = await collectGarbage(store, { keep: 1, publishedItems });
    expect(r).toMatchObject({ versionsPruned: 1, versionsKept: 2, blobsDeleted: 3, blobsKept: 6 });
    expect((await store.page('nav', url))!.versions.map((x) => x.contentHash)).toEqual([v[0]!.contentHash, v[2]!.contentHash]);
    expect(await store.blobs.get(v[1]!.contentHash)).toBeUndefined();
    expect(store.flushes).toBe(1);
  });
});
