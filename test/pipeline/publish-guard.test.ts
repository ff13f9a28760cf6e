/**
 * The publish guard (pure): an empty bundle, or one that drops more than half of the published
 * pages without approved removals, is refused unless asked for on purpose. The previous bundle is
 * a real one written by `writeBundle`; the review items are plain records as the store holds them.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Bundle, latestBundle, publishGuard, refusalError, writeBundle } from '../../src/pipeline/publish/index.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { CheckFailedError, ExitCode } from '../../src/errors.js';
import { avlastning, evilPage, navPage } from '../helpers/channel-bundle.js';

/** A real bundle of three pages, as `output/LATEST` names it. */
async function published(): Promise<Bundle> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'eti-guard-'));
  await writeBundle([navPage, avlastning, evilPage], outDir, 5);
  return (await latestBundle(outDir))!;
}

function item(url: string, kind: ReviewItem['kind'], decidedAt: string, status: ReviewItem['status'] = 'approved'): ReviewItem {
  return {
    id: `${kind}-${url}-${decidedAt}`,
    sourceId: 's',
    url,
    kind,
    contentHash: `h-${url}`,
    status,
    createdAt: '2026-01-01T00:00:00.000Z',
    decidedAt,
    decidedBy: 'Kari',
  };
}

describe('publishGuard', () => {
  it('refuses a bundle with no pages and no topic pages, with or without a previous bundle', async () => {
    const second = await published();
    expect(publishGuard(undefined, { pageUrls: [], topicCount: 0 }, [])).toEqual({ kind: 'nothing-approved', previousPages: 0 });
    expect(publishGuard(second, { pageUrls: [], topicCount: 0 }, [])).toEqual({
      kind: 'nothing-approved',
      previousId: second.id,
      previousPages: second.pages.length,
    });
    // --allow-empty publishes it on purpose; topic pages alone are a bundle.
    expect(publishGuard(second, { pageUrls: [], topicCount: 0 }, [], { isEmptyAllowed: true })).toBeUndefined();
    expect(publishGuard(undefined, { pageUrls: [], topicCount: 1 }, [])).toBeUndefined();
  });

  it('refuses dropping more than half of the published pages, counting only removals nobody approved', async () => {
    const second = await published();
    const urls = second.pages.map((p) => p.url).sort();
    expect(urls).toHaveLength(3);
    const keep: string[] = [];
    const refused = publishGuard(second, { pageUrls: keep, topicCount: 1 }, []);
    expect(refused).toEqual({ kind: 'shrink', previousId: second.id, previousPages: urls.length, pages: 0, dropped: urls });
    // Every dropped page whose latest approval is its removal is gone legitimately.
    const removals = urls.map((u) => item(u, 'removed', '2026-02-01T00:00:00.000Z'));
    const olderContent = urls.map((u) => item(u, 'new', '2026-01-02T00:00:00.000Z'));
    expect(publishGuard(second, { pageUrls: keep, topicCount: 1 }, [...olderContent, ...removals])).toBeUndefined();
    // A removal approved before the page came back, or one still pending, does not count.
    const cameBack = urls.map((u) => item(u, 'new', '2026-03-01T00:00:00.000Z'));
    const pendingRemovals = urls.map((u) => item(u, 'removed', '2026-04-01T00:00:00.000Z', 'pending'));
    expect(publishGuard(second, { pageUrls: keep, topicCount: 1 }, [...removals, ...cameBack, ...pendingRemovals])?.kind).toBe('shrink');
    // --allow-shrink publishes it on purpose.
    expect(publishGuard(second, { pageUrls: keep, topicCount: 1 }, [], { isShrinkAllowed: true })).toBeUndefined();
  });

  it('lets exactly half go, and not one more', () => {
    const pages = ['a', 'b', 'c', 'd'].map((u) => ({ url: `https://x.no/${u}` }));
    const previous = { id: 'b1', pages } as unknown as Bundle; // only ids and page urls are read
    const urls = pages.map((p) => p.url);
    expect(publishGuard(previous, { pageUrls: urls.slice(0, 2), topicCount: 0 }, [])).toBeUndefined();
    expect(publishGuard(previous, { pageUrls: urls.slice(0, 1), topicCount: 0 }, [])).toMatchObject({
      kind: 'shrink',
      dropped: urls.slice(1),
    });
    // New pages do not make up for dropped ones: the count is of the previous bundle's pages.
    expect(publishGuard(previous, { pageUrls: [urls[0]!, 'https://x.no/e', 'https://x.no/f'], topicCount: 0 }, [])?.kind).toBe('shrink');
  });

  it('says what happened and where, as a check failure (exit 1)', () => {
    const err = refusalError(
      { kind: 'shrink', previousId: 'b1', previousPages: 4, pages: 1, dropped: ['u1', 'u2', 'u3', 'u4'] },
      '/ws',
      'output/LATEST',
    );
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(err.exitCode).toBe(ExitCode.checkFailed);
    expect(err.code).toBe('bundle-shrink');
    expect(err.message).toBe(
      'not published: the new bundle would drop 4 of the 4 pages of b1 without an approved removal (u1, u2, u3, … (1 more)); no bundle written, output/LATEST still names b1',
    );
    expect(err.hint).toMatch(/--allow-shrink/);
    const empty = refusalError({ kind: 'nothing-approved', previousPages: 0 }, '/ws', 'output/LATEST');
    expect(empty.message).toBe(
      'nothing to publish: nothing approved yet in /ws (no pages, no topic pages); no bundle written, output/LATEST left as it was',
    );
    expect(empty.hint).toMatch(/--allow-empty/);
  });
});
