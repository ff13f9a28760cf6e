import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { compareItems, decide, findItem, publishedItems, reviewItemId } from '../../src/pipeline/review/review.js';
import { claimTextHash } from '../../src/pipeline/verify/claims.js';
import { approvalRecord } from '../../src/pipeline/verify/item-claims.js';
import type { Claim, ReviewItem, Summary } from '../../src/pipeline/types.js';

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

  it('refuses to approve an ungrounded summary without claims unless overridden; an unchecked edit no longer lifts the block', () => {
    expect(() => decide(item(), { status: 'approved', by: 'Kari', at }, summary(false))).toThrow(
      /"9 999 kroner" which the page does not support/,
    );
    // Changed with issue 13: an edit is verified (the caller passes `checked`), it never clears the block by itself.
    expect(() => decide(item(), { status: 'approved', by: 'Kari', at, editedSummary: 'Rettet tekst.' }, summary(false))).toThrow(
      /which the page does not support/,
    );
    expect(decide(item(), { status: 'approved', by: 'Kari', at, override: 'sjekket mot vedtak' }, summary(false)).note).toBe(
      'override: sjekket mot vedtak',
    );
  });

  it('with claims: every unsupported claim needs an override of its own, bound to its text; the approval records hashes', () => {
    const claims: Claim[] = [
      {
        field: 'summary',
        index: 0,
        text: 'Sats 1 er 8 232 kroner.',
        spans: [{ contentHash: 'h1', start: 0, end: 20, quote: 'Sats 1 | 8 232 kroner' }],
        verdict: 'supported',
        findings: [],
      },
      {
        field: 'summary',
        index: 1,
        text: 'Fra 1. mars 2031 er satsen 99 999 kr per år.',
        spans: [],
        verdict: 'unsupported',
        findings: [{ code: 'span-missing', reason: 'x' }],
      },
      {
        field: 'contacts',
        index: 0,
        text: 'Se http://evil.example.invalid/.',
        spans: [],
        verdict: 'unsupported',
        findings: [{ code: 'number-missing', reason: 'x' }],
      },
    ];
    const fields = { ...summary(true).content };
    const checked = { fields, claims };
    const base = { status: 'approved' as const, by: 'Kari', at, checked };
    expect(() => decide(item(), base, summary(true))).toThrow(/2 claims not supported by their source spans: summary\.1 .*; contacts\.0 /);
    expect(() => decide(item(), { ...base, override: 'alt sjekket' }, summary(true))).toThrow(/summary\.1/);
    expect(() => decide(item(), { ...base, overrides: [{ ref: 'summary.1', reason: 'ok' }] }, summary(true))).toThrow(
      /1 claim not supported .*contacts\.0/,
    );
    expect(() => decide(item(), { ...base, overrides: [{ ref: 'summary.0', reason: 'ok' }] }, summary(true))).toThrow(
      /--override summary\.0: no unsupported claim summary\.0 \(unsupported: summary\.1, contacts\.0\)/,
    );
    const out = decide(
      item(),
      {
        ...base,
        overrides: [
          { ref: 'summary.1', reason: 'sjekket med NAV' },
          { ref: 'contacts.0', reason: 'lenken er riktig' },
        ],
      },
      summary(true),
    );
    expect(out.overrides).toEqual([
      { ref: 'summary.1', textSha256: claimTextHash(claims[1]!.text), reason: 'sjekket med NAV', by: 'Kari', at },
      { ref: 'contacts.0', textSha256: claimTextHash(claims[2]!.text), reason: 'lenken er riktig', by: 'Kari', at },
    ]);
    expect(out.note).toBe('override summary.1: sjekket med NAV; override contacts.0: lenken er riktig');
    expect(out.approval).toEqual(approvalRecord(fields, claims));
    expect(out.approval!.textSha256).toMatch(/^[0-9a-f]{64}$/);
    // An edit is not an override: the same claims with a changed summary text give another text hash.
    expect(approvalRecord({ ...fields, summary: 'Annet.' }, claims).textSha256).not.toBe(out.approval!.textSha256);
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
    const items = [
      item({ id: 'n1', kind: 'new', url: 'b' }),
      item({ id: 'c1', kind: 'changed', url: 'z' }),
      item({ id: 'x1', status: 'approved', kind: 'changed' }),
    ];
    expect([...items].sort(compareItems).map((i) => i.id)).toEqual(['c1', 'n1', 'x1']);
    const ids = [reviewItemId('u', 'h', 'new'), reviewItemId('u', 'h', 'changed')];
    expect(ids[0]).not.toBe(ids[1]);
    expect(findItem([item({ id: 'abcdef0123' })], 'abcd').id).toBe('abcdef0123');
    expect(() => findItem([item()], 'zzzz')).toThrow(/no review item "zzzz"/);
  });
});
