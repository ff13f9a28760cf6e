import { describe, expect, it } from 'vitest';
import { reviewItemId } from '../../src/pipeline/review/index.js';
import { effectiveVersion, newestItem, occurrenceId, planItem } from '../../src/pipeline/summarize/plan.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import type { PageRecord, VersionRecord } from '../../src/store/records.js';

// planItem is the queue's decision as plain data: a page and its items in, a plan out.
const URL = 'https://example.no/side';

function version(contentHash: string, extra: Partial<VersionRecord> = {}): VersionRecord {
  return {
    contentHash,
    markdownHash: `md-${contentHash}`,
    rawHash: `raw-${contentHash}`,
    title: 'Side',
    lang: 'nb',
    dates: {} as VersionRecord['dates'],
    dateStamps: [],
    method: 'readability' as VersionRecord['method'],
    via: 'http',
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    lastSeenAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function page(versions: VersionRecord[], extra: Partial<PageRecord> = {}): PageRecord {
  return {
    url: URL,
    sourceId: 's',
    finalUrl: URL,
    redirects: [],
    depth: 0,
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    versions,
    ...extra,
  };
}

function item(
  kind: ReviewItem['kind'],
  contentHash: string,
  status: ReviewItem['status'],
  createdAt: string,
  extra: Partial<ReviewItem> = {},
): ReviewItem {
  return {
    id: reviewItemId(URL, contentHash, kind),
    sourceId: 's',
    url: URL,
    kind,
    contentHash,
    status,
    createdAt,
    ...(status === 'approved' ? { decidedAt: createdAt, decidedBy: 'redaktør' } : {}),
    ...extra,
  };
}

describe('planItem', () => {
  it('skips a page without versions', () => {
    expect(planItem(page([]), [])).toEqual({ action: 'skip', reason: 'no-version' });
  });

  it('summarises a first version as new, with no base', () => {
    const v = version('A');
    expect(planItem(page([v]), [])).toEqual({
      action: 'summarize',
      kind: 'new',
      current: v,
      isBack: false,
      id: reviewItemId(URL, 'A', 'new'),
      baseHash: undefined,
      changeBase: undefined,
    });
  });

  it('skips content whose newest item is for it', () => {
    const items = [item('new', 'A', 'pending', '2026-01-01T00:00:00.000Z')];
    expect(planItem(page([version('A')]), items)).toEqual({ action: 'skip', reason: 'handled' });
  });

  it('compares a changed page against the approved content, not the previous version', () => {
    const items = [item('new', 'A', 'approved', '2026-01-01T00:00:00.000Z')];
    const plan = planItem(page([version('A'), version('B'), version('C')]), items);
    expect(plan).toMatchObject({ action: 'summarize', kind: 'changed', baseHash: 'A', changeBase: 'A', isBack: false });
  });

  it('compares against the previous version when nothing is approved', () => {
    const plan = planItem(page([version('A'), version('B')]), []);
    expect(plan).toMatchObject({ action: 'summarize', kind: 'changed', baseHash: 'A', changeBase: 'A' });
  });

  it('supersedes pending items when the content is back to the approved version', () => {
    const items = [item('new', 'A', 'approved', '2026-01-01T00:00:00.000Z'), item('changed', 'B', 'pending', '2026-01-02T00:00:00.000Z')];
    const plan = planItem(page([version('A'), version('B'), version('A')]), items);
    expect(plan).toMatchObject({ action: 'supersede', kind: 'changed' });
  });

  it('gives A → B → A a second occurrence id when A was reviewed but not approved', () => {
    const first = item('changed', 'A', 'rejected', '2026-01-01T00:00:00.000Z');
    const items = [first, item('changed', 'B', 'pending', '2026-01-02T00:00:00.000Z')];
    const plan = planItem(page([version('X'), version('A'), version('B'), version('A')]), items);
    expect(plan).toMatchObject({ action: 'summarize', kind: 'changed', id: reviewItemId(URL, 'A', 'changed', 2), baseHash: 'B' });
  });

  it('queues a removal of a published page', () => {
    const items = [item('new', 'A', 'approved', '2026-01-01T00:00:00.000Z')];
    const plan = planItem(page([version('A')], { removedAt: '2026-02-01T00:00:00.000Z' }), items);
    expect(plan).toMatchObject({ action: 'removal', kind: 'removed', baseHash: 'A', changeBase: undefined });
  });

  it('skips the removal of a page never published with nothing pending', () => {
    const items = [item('new', 'A', 'rejected', '2026-01-01T00:00:00.000Z')];
    const plan = planItem(page([version('A')], { removedAt: '2026-02-01T00:00:00.000Z' }), items);
    expect(plan).toEqual({ action: 'skip', reason: 'unpublished-removal' });
  });

  it('queues the removal of an unpublished page that has a pending item', () => {
    const items = [item('new', 'A', 'pending', '2026-01-01T00:00:00.000Z')];
    const plan = planItem(page([version('A')], { removedAt: '2026-02-01T00:00:00.000Z' }), items);
    expect(plan).toMatchObject({ action: 'removal', kind: 'removed', baseHash: undefined });
  });

  it('reviews a page back after its published removal as new, with no base', () => {
    const items = [item('new', 'A', 'approved', '2026-01-01T00:00:00.000Z'), item('removed', 'A', 'approved', '2026-02-01T00:00:00.000Z')];
    const plan = planItem(page([version('A')]), items);
    expect(plan).toMatchObject({ action: 'summarize', kind: 'new', isBack: true, baseHash: undefined, changeBase: undefined });
    expect(plan).toMatchObject({ id: reviewItemId(URL, 'A', 'new', 2) });
  });

  it('treats a version that is the earlier one but for noise as that one', () => {
    const items = [item('new', 'A', 'pending', '2026-01-01T00:00:00.000Z')];
    expect(planItem(page([version('A'), version('A2', { noiseOf: 'A' })]), items)).toEqual({ action: 'skip', reason: 'handled' });
  });
});

describe('the plan helpers', () => {
  it('effectiveVersion follows noiseOf back to the version it repeats', () => {
    const a = version('A');
    expect(effectiveVersion([a, version('B'), version('A2', { noiseOf: 'A' })])).toBe(a);
    expect(effectiveVersion([])).toBeUndefined();
  });

  it('newestItem takes the latest createdAt, the first of a tie', () => {
    const x = item('new', 'A', 'pending', '2026-01-02T00:00:00.000Z');
    const y = item('changed', 'B', 'pending', '2026-01-02T00:00:00.000Z');
    const z = item('changed', 'C', 'pending', '2026-01-01T00:00:00.000Z');
    expect(newestItem([z, x, y])).toBe(x);
    expect(newestItem([])).toBeUndefined();
  });

  it('occurrenceId counts past the ids in use', () => {
    const one = item('new', 'A', 'rejected', '2026-01-01T00:00:00.000Z');
    const two = { ...one, id: reviewItemId(URL, 'A', 'new', 2) };
    expect(occurrenceId(URL, 'A', 'new', [])).toBe(reviewItemId(URL, 'A', 'new'));
    expect(occurrenceId(URL, 'A', 'new', [one, two])).toBe(reviewItemId(URL, 'A', 'new', 3));
  });
});
