import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/store/gc.js';
import type { PageRecord, VersionRecord } from '../../src/store/records.js';
import { publishedItems } from '../../src/pipeline/review/review.js';
import { Store } from '../../src/store/store.js';
import type { ReviewItem, Summary } from '../../src/pipeline/types.js';

async function version(store: Store, text: string, extra: Partial<VersionRecord> = {}): Promise<VersionRecord> {
  const contentHash = await store.blobs.put(text);
  const markdownHash = await store.blobs.put(`# ${text}`);
  const rawHash = await store.blobs.put(`<p>${text}</p>`);
  return {
    contentHash,
    markdownHash,
    rawHash,
    title: text,
    lang: 'nb',
    dates: {},
    dateStamps: [],
    method: 'main',
    via: 'http',
    firstSeenAt: '2026-01-01T00:00:00Z',
    lastSeenAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

const summary = (url: string, contentHash: string): Summary => ({
  id: `s-${contentHash.slice(0, 8)}`,
  url,
  contentHash,
  provider: 'offline',
  model: 'm',
  promptHash: 'p',
  content: { summary: 's', keyFacts: [], appliesTo: '', howToApply: '', deadlines: [] },
  grounding: { isGrounded: true, checked: 0, issues: [] },
  usage: { inputTokens: 0, outputTokens: 0 },
  createdAt: '2026-01-01T00:00:00Z',
});

const item = (url: string, contentHash: string, status: ReviewItem['status'], over: Partial<ReviewItem> = {}): ReviewItem => ({
  id: `${status}-${contentHash.slice(0, 6)}`,
  sourceId: 'nav',
  url,
  kind: 'changed',
  contentHash,
  status,
  createdAt: '2026-01-01T00:00:00Z',
  ...(status === 'approved' ? { decidedAt: '2026-01-02T00:00:00Z', decidedBy: 'Kari' } : {}),
  summaryId: `s-${contentHash.slice(0, 8)}`,
  ...over,
});

describe('collectGarbage', () => {
  it('keeps the newest versions and everything published or pending refers to; prunes the rest and orphan blobs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-gc-'));
    let store = await Store.open(dir);
    const url = 'https://www.nav.no/a';
    // v1 published; v2 rejected; v3 the base of the pending item; v4 only seen; then a noise-only version of v4, and v6 pending (newest).
    const v = [await version(store, 'v1'), await version(store, 'v2'), await version(store, 'v3'), await version(store, 'v4')];
    v.push(await version(store, 'v4 med teller', { noiseOf: v[3]!.contentHash }));
    v.push(await version(store, 'v6'));
    const page: PageRecord = {
      url,
      sourceId: 'nav',
      finalUrl: url,
      redirects: [],
      depth: 0,
      firstSeenAt: '2026-01-01T00:00:00Z',
      consecutiveFailures: 0,
      rawHash: v[5]!.rawHash,
      versions: v,
    };
    await store.putPage(page);
    for (const x of v) await store.putSummary('nav', summary(url, x.contentHash));
    await store.putReview(item(url, v[0]!.contentHash, 'approved'));
    await store.putReview(item(url, v[1]!.contentHash, 'rejected'));
    await store.putReview(item(url, v[5]!.contentHash, 'pending', { baseHash: v[2]!.contentHash }));
    await store.flush();
    const blobCount = async () =>
      (await Promise.all((await readdir(path.join(dir, 'blobs'))).map((b) => readdir(path.join(dir, 'blobs', b))))).flat().length;
    expect(await blobCount()).toBe(18);

    const dry = await collectGarbage(store, { keep: 2, dryRun: true, publishedItems });
    expect(await blobCount()).toBe(18);
    const r = await collectGarbage(store, { keep: 2, publishedItems });
    expect(r).toMatchObject({ versionsPruned: dry.versionsPruned, blobsDeleted: dry.blobsDeleted, summariesPruned: dry.summariesPruned });
    // Newest two (v4 noise, v6) + what v4-noise stands for (v4) + published v1 + pending's base v3; v2 goes.
    const kept = (await store.page('nav', url))!.versions.map((x) => x.title);
    expect(kept).toEqual(['v1', 'v3', 'v4', 'v4 med teller', 'v6']);
    expect(r.versionsPruned).toBe(1);
    expect(r.summariesPruned).toBe(1);
    expect(r.blobsDeleted).toBe(3);
    expect(await store.blobs.get(v[1]!.contentHash)).toBeUndefined();
    expect(await store.blobs.get(v[0]!.markdownHash)).toBe('# v1');

    // The pruned index was written: a fresh open sees the same.
    store = await Store.open(dir);
    expect((await store.page('nav', url))!.versions).toHaveLength(5);
    expect(Object.keys(await store.summaries('nav'))).toHaveLength(5);
    // The rejected item stays in the audit trail.
    expect(Object.values((await store.shard('nav')).reviews)).toHaveLength(3);
  });
});
