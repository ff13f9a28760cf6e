import { describe, expect, it } from 'vitest';
import { extractPdf, isPdf } from '../../src/pipeline/extract/pdf.js';
import { makePdf } from '../helpers/pdf.js';

const guide = makePdf(
  [
    // '' is an empty line: a paragraph gap, as a footer stands apart from the text.
    [
      'Pleiepenger for sykt barn',
      '',
      'Veileder fra NAV',
      '',
      'Du kan få pleiepenger når barnet ditt er sykt og trenger tilsyn.',
      '',
      'Satsen er 100 prosent av inntekten din, opptil 6 G.',
      '',
      '',
      'Side 1 av 3',
    ],
    [
      'Pleiepenger for sykt barn',
      '',
      'Søknadsfristen er tre måneder før måneden du søker for.',
      '',
      'Øvrige vilkår står på nav.no.',
      '',
      '',
      'Side 2 av 3',
    ],
    ['Pleiepenger for sykt barn', '', 'Sist oppdatert 15.01.2025', '', 'Klagefristen er seks uker.', '', '', 'Side 3 av 3'],
  ],
  { title: 'Pleiepenger – veileder', modDate: "D:20250115093000+01'00'" },
);

describe('extractPdf', () => {
  it('reads the text of every page with æøå, title and dates from the Info dictionary', async () => {
    const r = await extractPdf(guide, 'http://example.test/veileder.pdf');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.page.method).toBe('pdf');
    expect(r.page.title).toBe('Pleiepenger - veileder'); // UTF-16 Info title decoded; dashes normalised as in page text
    expect(r.page.text).toContain('Søknadsfristen er tre måneder');
    expect(r.page.text).toContain('Øvrige vilkår står på nav.no.');
    expect(r.page.text).toContain('opptil 6 G');
    expect(r.page.dates.modified).toBe('2025-01-15');
    expect(r.page.lang).toBe('nb');
    expect(r.page.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('drops page numbers, running headers and date stamps from the diffed text', async () => {
    const r = await extractPdf(guide, 'http://example.test/veileder.pdf');
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).not.toMatch(/Side \d av 3/);
    expect(r.page.text).not.toContain('Pleiepenger for sykt barn');
    expect(r.page.text).not.toContain('Sist oppdatert');
    expect(r.page.dateStamps).toEqual(['Sist oppdatert 15.01.2025']);
    expect(r.page.text.split('\n')).toEqual([
      'Veileder fra NAV',
      'Du kan få pleiepenger når barnet ditt er sykt og trenger tilsyn.',
      'Satsen er 100 prosent av inntekten din, opptil 6 G.',
      'Søknadsfristen er tre måneder før måneden du søker for.',
      'Øvrige vilkår står på nav.no.',
      'Klagefristen er seks uker.',
    ]);
  });

  it('joins wrapped lines of a paragraph and separates paragraphs', async () => {
    const pdf = makePdf([['Første linje i et avsnitt', 'fortsetter her.', '', '', 'Nytt avsnitt.']]);
    const r = await extractPdf(pdf, 'http://example.test/a.pdf');
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).toBe('Første linje i et avsnitt fortsetter her.\nNytt avsnitt.');
    expect(r.page.title).toBe('Første linje i et avsnitt fortsetter her.');
  });

  it('marks larger-set lines as headings in the Markdown, and drops a footer that carries the page number', async () => {
    const pdf = makePdf([
      ['# Slik søker du', 'Send søknaden til kommunen.', '', '', 'Fjordvik kommune - Avlastning Side 1 av 2'],
      ['# Klage', 'Klagefristen er tre uker.', '', '', 'Fjordvik kommune - Avlastning Side 2 av 2'],
    ]);
    const r = await extractPdf(pdf, 'http://example.test/brosjyre.pdf');
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).toBe('Slik søker du\nSend søknaden til kommunen.\nKlage\nKlagefristen er tre uker.');
    expect(r.page.markdown).toBe('## Slik søker du\n\nSend søknaden til kommunen.\n\n## Klage\n\nKlagefristen er tre uker.');
  });

  it('same bytes give the same hash; a changed figure changes it', async () => {
    const a = await extractPdf(makePdf([['Sats 1 er 8 232 kroner per år.']]), 'http://example.test/a.pdf');
    const b = await extractPdf(makePdf([['Sats 1 er 8 232 kroner per år.']]), 'http://example.test/a.pdf');
    const c = await extractPdf(makePdf([['Sats 1 er 8 580 kroner per år.']]), 'http://example.test/a.pdf');
    if (!a.ok || !b.ok || !c.ok) throw new Error('extraction failed');
    expect(a.page.contentHash).toBe(b.page.contentHash);
    expect(c.page.contentHash).not.toBe(a.page.contentHash);
  });

  it('a broken or empty PDF is a recorded outcome, not a crash', async () => {
    const broken = await extractPdf(Buffer.from('%PDF-1.4\nthis is not really a pdf'), 'http://example.test/b.pdf');
    expect(broken).toMatchObject({ ok: false, code: 'parse-error' });
    const empty = await extractPdf(makePdf([[]]), 'http://example.test/e.pdf');
    expect(empty).toMatchObject({ ok: false, code: 'no-content' });
  });

  it('isPdf by media type or magic bytes', () => {
    expect(isPdf('application/pdf')).toBe(true);
    expect(isPdf('application/octet-stream', guide)).toBe(true);
    expect(isPdf('text/html', Buffer.from('<html>'))).toBe(false);
  });
});
