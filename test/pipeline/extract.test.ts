/**
 * Extraction against golden fixtures (test/fixtures/extract/<slug>/): source.html in, and as the
 * truth, written and checked by hand (never copied from eti's output):
 *   - expected.md: the Markdown a faithful extraction gives (headings, lists, tables as GitHub
 *     tables, every fact, no boilerplate). eti's Markdown must reach a 4-word-shingle F1 of at
 *     least 0.95 against it, and every digit group in it ("8 232", "§ 3-6", "08.01.2021", "18")
 *     must survive in eti's text or Markdown (metrics: bench/extract-metrics.ts).
 *   - expected.json: title, lang, dates, date stamps, method (optional), strings that must and
 *     must not survive.
 * eti's exact Markdown is also kept as a regression snapshot in __snapshots__/<slug>.md; after a
 * deliberate change refresh it with `npx vitest run --project unit test/pipeline/extract.test.ts -u`
 * and read the diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missingNumbers, scorePage } from '../../bench/extract-metrics.js';
import { extract } from '../../src/pipeline/extract/extract.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/extract');
const MIN_F1 = 0.95;

interface Expected {
  title: string;
  lang: string;
  method?: string;
  dates?: Record<string, string>;
  dateStamps?: string[];
  mustContain: string[];
  mustNotContain: string[];
}

const SLUGS = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('extract: golden fixtures', () => {
  it('has at least 59 fixtures', () => {
    expect(SLUGS.length).toBeGreaterThanOrEqual(59);
  });

  for (const slug of SLUGS) {
    it(slug, async () => {
      const html = readFileSync(path.join(DIR, slug, 'source.html'), 'utf8');
      const expected = JSON.parse(readFileSync(path.join(DIR, slug, 'expected.json'), 'utf8')) as Expected;
      const truth = readFileSync(path.join(DIR, slug, 'expected.md'), 'utf8');
      const r = extract(html, { url: `https://example.no/${slug}/` });
      if (!r.ok) throw new Error(`${slug}: ${r.reason}`);
      const page = r.page;
      expect(page.title).toBe(expected.title);
      expect(page.lang).toBe(expected.lang);
      if (expected.method) expect(page.method).toBe(expected.method);
      expect(page.dates).toEqual(expected.dates ?? {});
      expect(page.dateStamps).toEqual(expected.dateStamps ?? []);
      const both = `${page.text}\n${page.markdown}`;
      for (const s of expected.mustContain) expect(both, `${slug} keeps "${s}"`).toContain(s);
      for (const s of expected.mustNotContain) expect(both, `${slug} drops "${s}"`).not.toContain(s);
      expect(missingNumbers(both, truth).missing, `${slug}: numbers of expected.md missing from the output`).toEqual([]);
      const score = scorePage(page.markdown, truth);
      expect(
        score.f1,
        `${slug}: shingle F1 (precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)})`,
      ).toBeGreaterThanOrEqual(MIN_F1);
      await expect(`${page.markdown}\n`).toMatchFileSnapshot(`__snapshots__/${slug}.md`);
    });
  }
});

const article = (inner: string) => `<!doctype html><html lang="nb"><body><main><h1>Grunnstønad</h1>${inner}</main></body></html>`;
const PARA =
  'Grunnstønad gis til personer som har nødvendige ekstrautgifter på grunn av varig sykdom, skade eller lyte. Det er seks satser, og sats 1 er 8 232 kroner i året.';

describe('extract', () => {
  it('gives the same text and hash when only markup changes', () => {
    const a = extract(article(`<p>${PARA}</p><ul><li>Transport</li><li>Klær</li></ul>`), { url: 'https://x.no/' });
    const b = extract(
      article(
        `<div class="x"><p class="y"  data-id="7">${PARA.replace('sats 1', '<strong>sats 1</strong>')}</p></div><ol><li><span>Transport</span></li><li>Klær </li></ol>`,
      ),
      { url: 'https://x.no/' },
    );
    if (!a.ok || !b.ok) throw new Error('extraction failed');
    expect(b.page.text).toBe(a.page.text);
    expect(b.page.contentHash).toBe(a.page.contentHash);
  });

  it('shows the finished root to an inspector before its text is read, and reads the text after it', () => {
    const html = article(`<p>${PARA}</p><p>Dette avsnittet fjernes av inspektøren i testen.</p>`);
    const seen: string[] = [];
    const r = extract(html, { url: 'https://x.no/' }, (root, method) => {
      seen.push(method);
      for (const p of root.querySelectorAll('p')) if (p.textContent?.includes('inspektøren')) p.remove();
    });
    const plain = extract(html, { url: 'https://x.no/' });
    if (!r.ok || !plain.ok) throw new Error('extraction failed');
    expect(seen).toEqual([plain.page.method]);
    expect(plain.page.text).toContain('inspektøren');
    expect(r.page.text).not.toContain('inspektøren');
    expect(r.page.text).toContain(PARA.slice(0, 40));
  });

  it('keeps a date-only change out of the content hash but in the dates', () => {
    const v1 = extract(article(`<p>Sist oppdatert 12. mars 2025</p><p>${PARA}</p>`), { url: 'https://x.no/' });
    const v2 = extract(article(`<p>Sist oppdatert 2. oktober 2025</p><p>${PARA}</p>`), { url: 'https://x.no/' });
    if (!v1.ok || !v2.ok) throw new Error('extraction failed');
    expect(v2.page.contentHash).toBe(v1.page.contentHash);
    expect([v1.page.dates.modified, v2.page.dates.modified]).toEqual(['2025-03-12', '2025-10-02']);
    // A sentence that mentions a date is content, not a stamp.
    const sentence = extract(article(`<p>Satsene gjelder fra 1. januar 2025.</p><p>${PARA}</p>`), { url: 'https://x.no/' });
    expect(sentence.ok && sentence.page.text).toContain('Satsene gjelder fra 1. januar 2025.');
  });

  it("reads the page's publisher from JSON-LD, else meta author or og:site_name", () => {
    const ld = (json: string) =>
      `<!doctype html><html lang="nb"><head><script type="application/ld+json">${json}</script><meta name="author" content="Redaksjonen"></head><body><main><h1>Grunnstønad</h1><p>${PARA}</p></main></body></html>`;
    const a = extract(
      ld(
        '{"@context":"https://schema.org","@type":"WebPage","publisher":{"@type":"GovernmentOrganization","name":"Arbeids- og velferdsetaten (NAV)"},"dateModified":"2025-01-15"}',
      ),
      { url: 'https://x.no/' },
    );
    const b = extract(ld('{"@graph":[{"@type":"WebSite"},{"@type":"Article","author":[{"name":"Helsedirektoratet"}]}]}'), {
      url: 'https://x.no/',
    });
    const c = extract(ld('not json'), { url: 'https://x.no/' });
    const d = extract(
      article(`<p>${PARA}</p>`).replace('<body>', '<head><meta property="og:site_name" content="Fjordvik kommune"></head><body>'),
      { url: 'https://x.no/' },
    );
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('extraction failed');
    expect(a.page.publisher).toBe('Arbeids- og velferdsetaten (NAV)');
    expect(a.page.dates.modified).toBe('2025-01-15');
    expect(b.page.publisher).toBe('Helsedirektoratet');
    expect(c.page.publisher).toBe('Redaksjonen');
    expect(d.page.publisher).toBe('Fjordvik kommune');
    const none = extract(article(`<p>${PARA}</p>`), { url: 'https://x.no/' });
    expect(none.ok && none.page.publisher).toBeUndefined();
  });

  it('reads dates from metadata lists (<dt>Sist endret</dt><dd>… fra 01.08.2022</dd>, Publisert)', () => {
    const html = article(
      `<dl><dt>Publisert</dt><dd>3. mars 2020</dd><dt>Sist endret</dt><dd>LOV-2022-06-17-68 fra 01.08.2022</dd><dt>Departement</dt><dd>Helse- og omsorgsdepartementet 12.12.2012</dd></dl><p>${PARA}</p>`,
    );
    const r = extract(html, { url: 'https://x.no/' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.dates).toEqual({ published: '2020-03-03', modified: '2022-08-01' });
  });

  it('applies content_selector and remove', () => {
    const html = `<html><body><div id="a"><p>${PARA}</p><p class="ad">Reklame for noe annet.</p></div><div id="b"><p>Helt annen tekst som ikke er hovedinnholdet på siden, men som er lang nok til å bli tatt med.</p></div></body></html>`;
    const r = extract(html, { url: 'https://x.no/', contentSelector: '#a', remove: ['.ad'] });
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.method).toBe('selector');
    expect(r.page.text).toBe(PARA);
  });

  it('returns absolute, de-duplicated links from the whole page', () => {
    const r = extract(
      `<html><body><nav><a href="/a">A</a></nav><main><p>${PARA} <a href="/a#x">igjen</a> <a href="b/">B</a> <a href="mailto:x@y.no">e-post</a></p></main></body></html>`,
      { url: 'https://x.no/dir/' },
    );
    expect(r.ok && r.page.links).toEqual(['https://x.no/a', 'https://x.no/dir/b/']);
  });

  it('resolves links against <base href>, in the link list and the Markdown alike', () => {
    const r = extract(
      `<html><head><base href="https://y.no/sak/"></head><body><main><p>${PARA} <a href="skjema/">Skjema</a> <a href="/om">Om</a></p></main></body></html>`,
      { url: 'https://x.no/dir/' },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.links).toEqual(['https://y.no/sak/skjema/', 'https://y.no/om']);
    expect(r.page.markdown).toContain('[Skjema](https://y.no/sak/skjema/)');
    expect(r.page.markdown).toContain('[Om](https://y.no/om)');
  });

  it('returns a value, not an exception, for what is not an article', () => {
    expect(extract('', { url: 'https://x.no/' })).toMatchObject({ ok: false, code: 'not-html' });
    expect(extract('%PDF-1.7 binary', { url: 'https://x.no/' })).toMatchObject({ ok: false, code: 'not-html' });
    expect(extract('<html><body><script>x()</script></body></html>', { url: 'https://x.no/' })).toMatchObject({
      ok: false,
      code: 'no-content',
    });
    expect(extract(article(`<p>${PARA}</p>`), { url: 'https://x.no/', contentSelector: '##bad((' })).toMatchObject({
      ok: false,
      code: 'parse-error',
    });
    // Pathological markup must not throw out of extract().
    const nasty =
      '<html><body>' +
      '<div>'.repeat(3000) +
      PARA +
      '</div>'.repeat(10) +
      '<table><tr><td><table><tr><td>' +
      '<svg><foreignObject><p>x</p></foreignObject></svg>'.repeat(50) +
      '</body>';
    const r = extract(nasty, { url: 'https://x.no/' });
    expect(r.ok || r.code === 'parse-error').toBe(true);
    // Room for a loaded machine (jsdom, used before linkedom, parsed 3,000 nested elements in quadratic time).
  }, 120_000);
});

describe('extract: boilerplate removal stays on the boilerplate', () => {
  it('drops a "Søk" button and the feedback widget, keeps a sentence that mentions "Søk"', () => {
    const r = extract(
      article(
        `<p>${PARA}</p><p>Søk <a href="/s">her</a> om du trenger hjelp.</p><button>Søk</button><div><p>Fant du det du lette etter?</p><button>Ja</button><button>Nei</button></div>`,
      ),
      { url: 'https://x.no/' },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).toContain('Søk her om du trenger hjelp.');
    expect(r.page.text).not.toMatch(/^Søk$/m);
    expect(r.page.text).not.toContain('Fant du det');
    expect(r.page.text).not.toMatch(/^(Ja|Nei)$/m);
  });
});
