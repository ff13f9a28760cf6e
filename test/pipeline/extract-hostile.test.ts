/**
 * Hostile pages (issue 15): empty, binary, 20,000-deep, 5,000-link and malformed HTML give text or
 * a recorded reason, never an exception. No timing assertions (the machine may be loaded): the
 * bounds that keep these fast are structural (boundDepth, a static link list) and tested as such.
 */
import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { boundDepth, MAX_DEPTH } from '../../src/pipeline/extract/bounds.js';
import { extract } from '../../src/pipeline/extract/extract.js';

const PARA =
  'Grunnstønad gis til personer som har nødvendige ekstrautgifter på grunn av varig sykdom, skade eller lyte. Det er seks satser, og sats 1 er 8 232 kroner i året.';
const url = 'https://x.no/side/';

describe('extract: hostile pages', () => {
  it('keeps the text of a page nested 20,000 deep', () => {
    const r = extract(`<html><body>${'<div>'.repeat(20_000)}${PARA}${'</div>'.repeat(20_000)}</body></html>`, { url });
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).toContain('8 232 kroner');
  }, 60_000);

  it('flattens structure below MAX_DEPTH into text, and leaves shallower pages alone', () => {
    const r = extract(
      '<html><body><main><h1>Dyp</h1>' +
        '<div>'.repeat(MAX_DEPTH + 50) +
        `<p>${PARA}</p><p>Andre avsnitt med 12 345 kroner.</p>` +
        '</div>'.repeat(MAX_DEPTH + 50) +
        '</main></body></html>',
      { url },
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).toContain('8 232 kroner');
    expect(r.page.text).toContain('12 345 kroner');
  }, 60_000);

  it('boundDepth counts what it flattened', () => {
    const doc = new DOMParser().parseFromString(
      '<html><body><div><div><div><p>a</p><p>b</p></div></div></div></body></html>',
      'text/html',
    ) as unknown as Document;
    // html > body > div > div > div: the third div is at depth 4 from <html>.
    expect(boundDepth(doc.documentElement, 4)).toBe(1);
    expect(doc.body.innerHTML).toBe('<div><div><div>ab</div></div></div>');
    expect(boundDepth(doc.documentElement, 4)).toBe(0);
  });

  it('makes all 5,000 links of a link-heavy page absolute', () => {
    const items = Array.from({ length: 5000 }, (_, i) => `<li><a href="/side/${i}">Side nummer ${i}</a></li>`).join('');
    const r = extract(`<html><body><main><h1>Lenker</h1><p>${PARA}</p><ul>${items}</ul></main></body></html>`, { url });
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.links).toHaveLength(5000);
    expect(r.page.links[4999]).toBe('https://x.no/side/4999');
    expect(r.page.markdown).not.toMatch(/\]\(\/side\//);
  }, 60_000);

  it('returns text or a reason for empty, binary and malformed input', () => {
    expect(extract('', { url })).toMatchObject({ ok: false, code: 'not-html' });
    expect(extract('   \n ', { url })).toMatchObject({ ok: false, code: 'not-html' });
    const binary = String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    expect(extract(binary, { url })).toMatchObject({ ok: false });
    const unclosed = extract(`<html><body><main><h1>Søknad<p>${PARA}<table><tr><td>1<td>2<p>x<div><span>`, { url });
    if (!unclosed.ok) throw new Error(unclosed.reason);
    expect(unclosed.page.text).toContain('8 232 kroner');
    expect(extract('<html><body><p></p></body></html>', { url })).toMatchObject({ ok: false, code: 'no-content' });
  });

  it('parses with jsdom, loaded on first use, when asked to', () => {
    const html = `<html lang="nb"><body><main><h1>Grunnstønad</h1><p>${PARA}</p></main></body></html>`;
    const a = extract(html, { url });
    const b = extract(html, { url, dom: 'jsdom' });
    if (!a.ok || !b.ok) throw new Error('extraction failed');
    expect(b.page.text).toBe(a.page.text);
  });

  it('keeps the page when <html> carries a class Readability takes for a sidebar or footer', () => {
    // Readability drops unlikely candidates by class, sparing <body> but not <html>: the whole
    // document went, and the page came out as a crash ("reading 'getAttribute' of null").
    for (const cls of ['navy sidebar-visible', 'footer-sticky-1 scroll-smooth']) {
      const r = extract(`<html lang="nb" class="${cls}"><body><div><h1>Grunnstønad</h1><p>${PARA}</p><p>${PARA}</p></div></body></html>`, {
        url,
      });
      if (!r.ok) throw new Error(`${cls}: ${r.reason}`);
      expect(r.page.text).toContain('8 232 kroner');
      expect(r.page.lang).toBe('nb');
    }
  });
});
