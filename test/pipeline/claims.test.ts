import { describe, expect, it } from 'vitest';
import {
  buildClaims,
  normalizeText,
  publishableTexts,
  resolveQuote,
  sectionHeadingOf,
  tableHeaderOf,
  verifyResolved,
} from '../../src/pipeline/verify/claims.js';
import { itemClaims } from '../../src/pipeline/verify/item-claims.js';
import type { Summary } from '../../src/pipeline/types.js';

const MD = [
  '# Grunnstønad',
  '',
  '| Sats | Per år |',
  '| --- | --- |',
  '| Sats 1 | 8 232 kroner |',
  '',
  'Du kan **søke** på [nav.no](https://www.nav.no/soknad) – «digitalt».',
  'Fastlegen kan ikke skrive den.',
].join('\n');

describe('claims', () => {
  it('resolves a quote exactly, else folded (whitespace, quote marks, dashes, emphasis, link syntax), to offsets in the stored Markdown', () => {
    expect(resolveQuote(MD, 'Sats 1 | 8 232 kroner', 'h')).toEqual({
      contentHash: 'h',
      start: MD.indexOf('Sats 1 |'),
      end: MD.indexOf('Sats 1 |') + 21,
      quote: 'Sats 1 | 8 232 kroner',
    });
    const folded = resolveQuote(MD, 'Du kan søke på nav.no - "digitalt".', 'h')!;
    expect(folded.quote).toBe('Du kan **søke** på [nav.no](https://www.nav.no/soknad) – «digitalt».');
    expect(MD.slice(folded.start, folded.end)).toBe(folded.quote);
    expect(resolveQuote(MD, 'Fastlegen  kan\nikke skrive den.', 'h')!.quote).toBe('Fastlegen kan ikke skrive den.');
    expect(resolveQuote(MD, 'Fra 1. mars 2031 er satsen 99 999 kr per år.', 'h')).toBeUndefined();
    expect(resolveQuote(MD, '   ', 'h')).toBeUndefined();
  });

  it('normalises text the same way everywhere: CRLF, trailing spaces, blank-line runs, outer whitespace', () => {
    expect(normalizeText('  Linje en. \r\nLinje to.\r\n\r\n\r\n\r\nLinje tre.\n')).toBe('Linje en.\nLinje to.\n\nLinje tre.');
    expect(normalizeText('Tekst.\n')).toBe(normalizeText('Tekst.'));
  });

  it('iterates the publishable fields generically: a field added later is split into claims too', () => {
    const fields = {
      summary: 'A.',
      keyFacts: [{ fact: 'B.', quote: 'b' }],
      appliesTo: '',
      howToApply: '',
      deadlines: ['C.'],
      contacts: [],
      extraField: 'Første her. Andre her.',
    } as never;
    expect(publishableTexts(fields).map((t) => `${t.field}:${t.text}`)).toEqual([
      'summary:A.',
      'keyFacts:B.',
      'appliesTo:',
      'howToApply:',
      'deadlines:C.',
      'extraField:Første her. Andre her.',
    ]);
    const claims = buildClaims(fields, [], { contentHash: 'h', markdown: MD });
    expect(claims.filter((c) => c.field === 'extraField').map((c) => [c.index, c.text, c.verdict])).toEqual([
      [0, 'Første her.', 'unsupported'],
      [1, 'Andre her.', 'unsupported'],
    ]);
  });

  it('a sentence without evidence or with a quote not in the text is unsupported (span-missing); a change summary cites the old version', () => {
    const fields = {
      summary: 'Satsen er 8 232 kroner. Fastlegen kan skrive den.',
      keyFacts: [],
      appliesTo: '',
      howToApply: '',
      deadlines: [],
      changeSummary: 'Satsen var 8 000 kroner.',
    };
    const claims = buildClaims(
      fields,
      [
        { field: 'summary', text: 'Satsen er 8 232 kroner.', quotes: [{ quote: 'Sats 1 | 8 232 kroner' }] },
        { field: 'summary', text: 'Fastlegen kan skrive den.', quotes: [{ quote: 'Fastlegen kan skrive den.' }] },
        { field: 'changeSummary', text: 'Satsen var 8 000 kroner.', quotes: [{ quote: 'Sats 1 | 8 000 kroner', version: 'old' }] },
      ],
      { contentHash: 'new', markdown: MD, base: { contentHash: 'old', markdown: '| Sats 1 | 8 000 kroner |' } },
    );
    expect(claims.map((c) => [c.field, c.index, c.verdict])).toEqual([
      ['summary', 0, 'supported'],
      ['summary', 1, 'unsupported'],
      ['changeSummary', 0, 'supported'],
    ]);
    expect(claims[1]!.findings[0]).toMatchObject({ code: 'span-missing' });
    expect(claims[2]!.spans[0]).toMatchObject({ contentHash: 'old', quote: 'Sats 1 | 8 000 kroner' });
  });

  it('an edited field is verified again: a figure in none of its evidence is unsupported; a sentence copied from the page cites it', () => {
    const summary = {
      content: { summary: 'Satsen er 8 232 kroner.', keyFacts: [], appliesTo: '', howToApply: '', deadlines: [] },
      claims: buildClaims(
        { summary: 'Satsen er 8 232 kroner.', keyFacts: [], appliesTo: '', howToApply: '', deadlines: [] },
        [{ field: 'summary', text: 'Satsen er 8 232 kroner.', quotes: [{ quote: 'Sats 1 | 8 232 kroner' }] }],
        { contentHash: 'h', markdown: MD },
      ),
    } as unknown as Summary;
    const texts = { contentHash: 'h', markdown: MD };
    const bad = itemClaims({ editedSummary: 'Sats 1 er 9 999 kroner. Ring 55 55 55 55.' }, summary, texts);
    expect(bad.map((c) => [c.text, c.verdict])).toEqual([
      ['Sats 1 er 9 999 kroner.', 'unsupported'],
      ['Ring 55 55 55 55.', 'unsupported'],
    ]);
    const copied = itemClaims({ editedSummary: 'Fastlegen kan ikke skrive den.' }, summary, texts);
    expect(copied).toEqual([
      expect.objectContaining({ verdict: 'supported', spans: [expect.objectContaining({ quote: 'Fastlegen kan ikke skrive den.' })] }),
    ]);
  });
});

describe('what the verifier reads for a span', () => {
  const md =
    '# Satser\n\nIntro.\n\n## Grunnstønad\n\n| Sats | Per år | Per måned |\n| --- | --- | --- |\n| Sats 1 | 8 232 kroner | 686 kroner |\n\n## Hjelpestønad\n\nHjelpestønad gis til den som trenger tilsyn.';
  const texts = { contentHash: 'h', markdown: md };
  const rowSpan = () => resolveQuote(md, 'Sats 1 | 8 232 kroner', 'h')!;

  it("finds a span's table header row and section heading", () => {
    expect(tableHeaderOf(md, md.indexOf('| Sats 1'))).toBe('| Sats | Per år | Per måned |');
    expect(tableHeaderOf(md, md.indexOf('| Sats |'))).toBeUndefined();
    expect(tableHeaderOf(md, md.indexOf('Intro'))).toBeUndefined();
    expect(sectionHeadingOf(md, md.indexOf('| Sats 1'))).toBe('Grunnstønad');
    expect(sectionHeadingOf(md, md.indexOf('Hjelpestønad gis'))).toBe('Hjelpestønad');
    expect(sectionHeadingOf(md, 0)).toBeUndefined();
  });

  it('reads a table row with its header and section: the period and the benefit are supported, another benefit is not', () => {
    expect(verifyResolved('keyFacts', 0, 'Grunnstønad sats 1 er 8 232 kroner i året.', [rowSpan()], [], texts).verdict).toBe('supported');
    expect(verifyResolved('keyFacts', 0, 'Grunnstønad sats 1 er 8 232 kroner i måneden.', [rowSpan()], [], texts).verdict).toBe(
      'unsupported',
    );
    expect(verifyResolved('keyFacts', 0, 'Hjelpestønad sats 1 er 8 232 kroner i året.', [rowSpan()], [], texts).verdict).toBe(
      'unsupported',
    );
    // Without the stored text (no context), the bare row does not say per year.
    expect(verifyResolved('keyFacts', 0, 'Sats 1 er 8 232 kroner i året.', [rowSpan()], []).verdict).toBe('unsupported');
  });
});
