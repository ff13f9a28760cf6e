import { describe, expect, it } from 'vitest';
import { plainLanguageReport, plainLanguageTotals, readability } from '../../src/pipeline/verify/plain-language.js';

describe('readability (LIX, sentence length, bureaucratic terms)', () => {
  it('computes LIX as words per sentence + percentage of words over six letters', () => {
    // 7 words, 2 sentences, 2 long words (Søknaden, elektronisk): 3.5 + 28.57
    const r = readability('Du kan få hjelp. Søknaden sendes elektronisk.');
    expect(r).toMatchObject({ words: 7, sentences: 2, wordsPerSentence: 3.5, lix: 32.1, terms: [] });
    expect(readability('')).toMatchObject({ lix: 0, words: 0, sentences: 0 });
  });

  it('counts sentences with the Norwegian splitter (abbreviations and ordinal dates do not end one)', () => {
    expect(readability('Du kan f.eks. søke innen 1. mars. Ring oss.').sentences).toBe(2);
  });

  it('finds bureaucratic terms with plain alternatives, inflected and across æøå word edges', () => {
    const r = readability(
      'Stønad innvilges i henhold til § 10. Vedrørende søknaden: dersom du erholder stønad, iht. vedtaket. Søknadsfristen er 1. mars.',
    );
    expect(r.terms).toEqual([
      { term: 'i henhold til', plain: 'etter', count: 1 },
      { term: 'iht.', plain: 'etter', count: 1 },
      { term: 'vedrørende', plain: 'om', count: 1 },
      { term: 'innvilge', plain: 'gi', count: 1 },
      { term: 'erholde', plain: 'få', count: 1 },
      { term: 'dersom', plain: 'hvis', count: 1 },
    ]);
    // "søknadsfrist" is a term families need, not bureaucratese; "innvilgelsesbrev" is not "innvilge".
    expect(readability('Søknadsfristen er 1. mars. Du får et innvilgelsesbrev.').terms).toEqual([]);
  });

  it('reports source against summary, and whether the summary meets the target', () => {
    const source = 'Stønaden innvilges etter en helhetsvurdering av søkerens dokumenterte merutgifter i forbindelse med langvarig sykdom.';
    const plain = plainLanguageReport(source, 'Du kan få penger. Det gjelder når barnet er sykt lenge.');
    expect(plain.source.lix).toBeGreaterThan(60);
    expect(plain.summary.lix).toBeLessThan(40);
    expect(plain).toMatchObject({ targetLix: 40, isPlain: true });
    expect(plainLanguageReport(source, 'Du kan få penger dersom barnet er sykt.').isPlain).toBe(false); // a listed term
    expect(plainLanguageReport(source, source, 80).isPlain).toBe(false);
    expect(plainLanguageReport(source, 'Du kan få penger.', 10).isPlain).toBe(true); // LIX 4 + 0
    expect(plainLanguageReport(source, 'Du kan få stønader.', 10).isPlain).toBe(false); // LIX 4 + 25
    expect(plainLanguageTotals([plain, undefined, plainLanguageReport(source, source)])).toEqual({
      items: 2,
      meanSourceLix: plain.source.lix,
      meanSummaryLix: Math.round(((plain.summary.lix + plain.source.lix) / 2) * 10) / 10,
      plain: 1,
    });
  });
});
