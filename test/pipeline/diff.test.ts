import { describe, expect, it } from 'vitest';
import { diffTexts } from '../../src/pipeline/diff/diff.js';

const base = { url: 'https://x.example/a', sourceId: 's' };
const old = [
  'Satser for grunnstønad',
  'Satsene gjelder fra 1. januar 2025.',
  'Sats 1 | 8 232 | 686',
  'Sats 2 | 12 564 | 1 047',
  'Grunnstønad gis til personer som har nødvendige ekstrautgifter på grunn av varig sykdom.',
].join('\n');

describe('diffTexts', () => {
  it('names the changed rate, word by word, with the sentence it stands in', () => {
    const next = old.replace('8 232 | 686', '8 580 | 715').replace('1. januar 2025', '1. januar 2026');
    const c = diffTexts({ ...base, oldText: old, newText: next, oldHash: 'a', newHash: 'b' });
    expect(c.kind).toBe('changed');
    const added = c.hunks
      .filter((h) => h.op === 'add')
      .map((h) => h.text)
      .join(' ');
    const removed = c.hunks
      .filter((h) => h.op === 'del')
      .map((h) => h.text)
      .join(' ');
    expect(added).toContain('8 580');
    expect(added).toContain('2026');
    expect(removed).toContain('8 232');
    expect(removed).not.toContain('12 564');
    expect(c.changedSentences).toEqual(['Satsene gjelder fra 1. januar 2026.', 'Sats 1 | 8 580 | 715']);
    expect(c.fromHash).toBe('a');
    expect(c.toHash).toBe('b');
    expect(c.stats.added).toBeGreaterThan(0);
  });

  it('classifies new, removed and unchanged (with the date-only flag)', () => {
    expect(diffTexts({ ...base, newText: old }).kind).toBe('new');
    expect(diffTexts({ ...base, oldText: old }).kind).toBe('removed');
    const same = diffTexts({ ...base, oldText: old, newText: old, isDateOnly: true });
    expect(same.kind).toBe('unchanged');
    expect(same.isDateOnly).toBe(true);
    expect(same.hunks).toEqual([]);
  });

  it('handles added and removed lines and keeps context short', () => {
    const long = Array.from({ length: 200 }, (_, i) => `Linje ${i} med litt tekst.`).join('\n');
    const next = long.replace('Linje 100 med litt tekst.', 'Linje 100 med litt tekst.\nEn helt ny setning om søknadsfrist 1. mars.');
    const c = diffTexts({ ...base, oldText: long, newText: next });
    expect(c.kind).toBe('changed');
    expect(c.changedSentences).toEqual(['En helt ny setning om søknadsfrist 1. mars.']);
    const context = c.hunks
      .filter((h) => h.op === 'eq')
      .map((h) => h.text)
      .join('');
    expect(context.length).toBeLessThan(600);
    expect(c.stats).toEqual({ added: 8, removed: 0 });
  });
});
