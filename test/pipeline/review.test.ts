import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { compareItems, decide, findItem, publishedItems, reviewItemId } from '../../src/pipeline/review.js';
import type { ReviewItem, Summary } from '../../src/pipeline/types.js';

const item = (over: Partial<ReviewItem> = {}): ReviewItem => ({
  id: 'abc1234567',
  sourceId: 'nav',
  url: 'https://nav.example/satser',
  kind: 'new',
  contentHash: 'h1',
  status: 'pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const summary = (isGrounded: boolean): Summary => ({
  id: 's1',
  url: 'https://nav.example/satser',
  contentHash: 'h1',
  provider: 'offline',
  model: 'extractive-v1',
  promptHash: 'p',
  content: { summary: 'Sats 1 er 9 999 kroner.', keyFacts: [], appliesTo: '', howToApply: '', deadlines: [] },
  grounding: { isGrounded, checked: 1, issues: isGrounded ? [] : [{ kind: 'number', span: '9 999 kroner', where: 'summary' }] },
  usage: { inputTokens: 0, outputTokens: 0 },
  createdAt: '2026-01-01T00:00:00.000Z',
});

const at = '2026-02-01T00:00:00.000Z';

describe('review transitions', () => {
  it('approves a pending item and records who, when and the note', () => {
    const out = decide(item(), { status: 'approved', by: 'Kari', at, note: 'sjekket' }, summary(true));
    expect(out).toMatchObject({ status: 'approved', decidedBy: 'Kari', decidedAt: at, note: 'sjekket' });
  });

  it('refuses to approve an ungrounded summary unless edited or overridden', () => {
    expect(() => decide(item(), { status: 'approved', by: 'Kari', at }, summary(false))).toThrow(/"9 999 kroner" which the page does not support/);
    expect(decide(item(), { status: 'approved', by: 'Kari', at, editedSummary: 'Rettet tekst.' }, summary(false)).editedSummary).toBe('Rettet tekst.');
    expect(decide(item(), { status: 'approved', by: 'Kari', at, override: 'sjekket mot vedtak' }, summary(false)).note).toBe('override: sjekket mot vedtak');
  });

  it('only decides pending items, and needs a summary to approve content', () => {
    expect(() => decide(item({ status: 'approved' }), { status: 'rejected', by: 'Ola', at }, summary(true))).toThrow(UsageError);
    expect(() => decide(item(), { status: 'approved', by: 'Ola', at }, undefined)).toThrow(/has no summary yet/);
    expect(decide(item({ kind: 'removed' }), { status: 'approved', by: 'Ola', at }, undefined).status).toBe('approved');
  });

  it('publishes the latest approved version per page and drops approved removals', () => {
    const items = [
      item({ id: 'a1', contentHash: 'old', status: 'approved', decidedAt: '2026-01-02T00:00:00.000Z' }),
      item({ id: 'a2', contentHash: 'new', status: 'pending' }),
      item({ id: 'b1', url: 'https://nav.example/b', status: 'approved', decidedAt: '2026-01-02T00:00:00.000Z' }),
      item({ id: 'b2', url: 'https://nav.example/b', kind: 'removed', status: 'approved', decidedAt: '2026-01-03T00:00:00.000Z' }),
      item({ id: 'c1', url: 'https://nav.example/c', status: 'rejected', decidedAt: '2026-01-02T00:00:00.000Z' }),
    ];
    expect(publishedItems(items).map((i) => i.id)).toEqual(['a1']);
  });

  it('orders the queue pending first, changed before new, and finds items by prefix', () => {
    const items = [item({ id: 'n1', kind: 'new', url: 'b' }), item({ id: 'c1', kind: 'changed', url: 'z' }), item({ id: 'x1', status: 'approved', kind: 'changed' })];
    expect([...items].sort(compareItems).map((i) => i.id)).toEqual(['c1', 'n1', 'x1']);
    const ids = [reviewItemId('u', 'h', 'new'), reviewItemId('u', 'h', 'changed')];
    expect(ids[0]).not.toBe(ids[1]);
    expect(findItem([item({ id: 'abcdef0123' })], 'abcd').id).toBe('abcdef0123');
    expect(() => findItem([item()], 'zzzz')).toThrow(/no review item "zzzz"/);
  });
});
