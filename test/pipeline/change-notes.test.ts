import { describe, expect, it } from 'vitest';
import { decide } from '../../src/pipeline/review/review.js';
import type { ReviewItem, Summary } from '../../src/pipeline/types.js';

const item = (over: Partial<ReviewItem> = {}): ReviewItem => ({
  id: 'abc1234567',
  sourceId: 'nav',
  url: 'https://nav.example/satser',
  kind: 'changed',
  contentHash: 'h2',
  baseHash: 'h1',
  changeClass: 'material',
  status: 'pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const summary: Summary = {
  id: 's1',
  url: 'https://nav.example/satser',
  contentHash: 'h2',
  provider: 'offline',
  model: 'extractive-v1',
  promptHash: 'p',
  content: { summary: 'Sats 1 er 8 580 kroner.', keyFacts: [], appliesTo: '', howToApply: '', deadlines: [] },
  changeSummary: 'Sats 1 er økt fra 8 232 til 8 580 kroner.',
  grounding: { isGrounded: true, checked: 1, issues: [] },
  usage: { inputTokens: 0, outputTokens: 0 },
  createdAt: '2026-01-01T00:00:00.000Z',
} as Summary;

const by = { status: 'approved' as const, by: 'Kari', at: '2026-02-01T00:00:00.000Z' };

describe('change notes on approval (GOV.UK style)', () => {
  it('proposes the grounded changeSummary and major for a material change', () => {
    expect(decide(item(), by, summary)).toMatchObject({ changeNote: 'Sats 1 er økt fra 8 232 til 8 580 kroner.', isMajor: true });
  });

  it('proposes minor for wording and cosmetic changes', () => {
    expect(decide(item({ changeClass: 'wording' }), by, summary).isMajor).toBe(false);
    expect(decide(item({ changeClass: 'cosmetic' }), by, summary).isMajor).toBe(false);
  });

  it("takes the editor's note and flag over the proposal; an empty note means none", () => {
    expect(decide(item(), { ...by, changeNote: '  Ny sats\n fra 1. januar. ', isMajor: false }, summary)).toMatchObject({
      changeNote: 'Ny sats fra 1. januar.',
      isMajor: false,
    });
    expect(decide(item({ changeClass: 'cosmetic' }), { ...by, isMajor: true }, summary).isMajor).toBe(true);
    expect(decide(item(), { ...by, changeNote: '' }, summary).changeNote).toBeUndefined();
  });

  it('a new page or a removal is major; a new page has no proposed note; a rejection records none', () => {
    expect(decide(item({ kind: 'new', changeClass: undefined }), by, summary)).toMatchObject({ isMajor: true });
    expect(decide(item({ kind: 'new' }), by, summary).changeNote).toBeUndefined();
    expect(decide(item({ kind: 'removed' }), by, undefined)).toMatchObject({ isMajor: true });
    const rejected = decide(item(), { ...by, status: 'rejected', note: 'feil' }, summary);
    expect(rejected.changeNote).toBeUndefined();
    expect(rejected.isMajor).toBeUndefined();
  });
});
