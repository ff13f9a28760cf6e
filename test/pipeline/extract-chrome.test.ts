/**
 * Phantom changes (issue 14): when only a page's chrome changes (new related links, new "Siste
 * nytt" items with new dates, rotated share tokens, another cookie text), the extracted text and
 * its hash must not change, or every recrawl puts the page in the editors' queue. And chrome
 * learned per source (text on many pages of the same source) is dropped from the content.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { blockFingerprint, learnChrome } from '../../src/pipeline/extract/learned.js';
import { extract } from '../../src/pipeline/extract/extract.js';
import { RECHROMED } from '../helpers/rechrome.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/extract');
const source = (slug: string): string => readFileSync(path.join(DIR, slug, 'source.html'), 'utf8');

function hashOf(html: string, slug: string): { hash: string; text: string } {
  const r = extract(html, { url: `https://example.no/${slug}/` });
  if (!r.ok) throw new Error(`${slug}: ${r.reason}`);
  return { hash: r.page.contentHash, text: r.page.text };
}

describe('extract: chrome changes are not content changes', () => {
  for (const [slug, rechrome] of RECHROMED) {
    it(`${slug}: same text and hash after its chrome changed`, () => {
      const html = source(slug);
      const changed = rechrome(html);
      expect(changed, 'the mutation must change the page').not.toBe(html);
      const a = hashOf(html, slug);
      const b = hashOf(changed, slug);
      expect(b.text).toBe(a.text);
      expect(b.hash).toBe(a.hash);
    });
  }

  it('a content change in the same page still changes the hash', () => {
    const html = source('kommune-kf-omsorgsstonad');
    expect(hashOf(html.replace('12 600 kroner', '13 100 kroner'), 'x').hash).not.toBe(hashOf(html, 'x').hash);
  });
});

describe('learnChrome', () => {
  const page = (body: string, extra = ''): string =>
    `<!doctype html><html lang="nb"><body><main><h1>Side</h1><p>${body}</p>${extra}<div class="tips"><p>Har du spørsmål om tjenestene våre? Ring servicetorget på hverdager.</p></div></main></body></html>`;
  const bodies = [
    'Avlastning gis i avlastningsbolig eller hos private avlastere, og skal gi foreldre nødvendig hvile og fritid.',
    'Støttekontakt hjelper deg til en meningsfull fritid sammen med andre, og tjenesten er gratis for deg.',
    'Omsorgsstønad er en økonomisk ytelse til deg som har et særlig tyngende omsorgsarbeid for et barn.',
    'Brukerstyrt personlig assistanse er en annen måte å organisere praktisk og personlig hjelp på.',
  ];

  it('learns the blocks that recur on most pages of a source, and extract() drops them', () => {
    const texts = bodies.map((b) => {
      const r = extract(page(b), { url: 'https://k.no/x' });
      if (!r.ok) throw new Error(r.reason);
      return r.page.text;
    });
    const chrome = learnChrome(texts);
    expect([...chrome]).toEqual([blockFingerprint('Har du spørsmål om tjenestene våre? Ring servicetorget på hverdager.')]);
    const r = extract(page(bodies[0]!), { url: 'https://k.no/x', chrome });
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).not.toContain('servicetorget');
    expect(r.page.text).toContain('avlastningsbolig');
  });

  it('learns nothing from too few pages', () => {
    expect(learnChrome(['Felles linje som gjentas overalt\nA', 'Felles linje som gjentas overalt\nB'])).toEqual(new Set());
  });
});

describe('per-block chrome on shop and listing layouts', () => {
  const para = (s: string): string =>
    `<p>${s} Tjenesten gis etter en individuell vurdering av behovet, og kommunen skal legge vekt på hva familien selv mener.</p>`;
  const text = (html: string): string => {
    const r = extract(`<!doctype html><html lang="nb"><body><main><h1>Avlastning</h1>${html}</main></body></html>`, {
      url: 'https://k.no/a',
    });
    if (!r.ok) throw new Error(r.reason);
    return r.page.text;
  };
  const filters =
    '<ul><li><a href="?t=1">Avlastning i bolig (3 tilbud)</a></li><li><a href="?t=2">Avlastning i private hjem (5 tilbud)</a></li><li><a href="?t=3">Støttekontakt og fritid (4 tilbud)</a></li><li><a href="?t=4">Brukerstyrt personlig assistanse (2 tilbud)</a></li><li><a href="?t=5">Omsorgsstønad til foreldre (1 tilbud)</a></li><li><a href="?t=6">Ledsagerbevis og TT-kort (2 tilbud)</a></li><li><a href="?t=7">Barnekoordinator (1 tilbud)</a></li></ul>';

  it('keeps the first of two copies of a block in different places (wide and narrow screen menus)', () => {
    const t = text(`<div class="wide">${filters}</div>${para('Avlastning er et tilbud.')}<div class="narrow">${filters}</div>`);
    expect(t.split('Avlastning i bolig (3 tilbud)')).toHaveLength(2);
    expect(t).toContain('Avlastning er et tilbud.');
  });

  it('keeps cards of one grid that say the same (plans listing the same features)', () => {
    const card =
      '<div class="card"><p>Inkluderer veiledning, kartlegging av behov, oppfølging hver måned og en fast kontaktperson i kommunen for hele familien gjennom hele året, også i ferier og helger når skolen er stengt.</p></div>';
    const t = text(`${para('Velg pakke.')}<div class="grid">${card}${card}</div>`);
    expect(t.split('fast kontaktperson')).toHaveLength(3);
  });

  it('drops drop-downs, filters and sort boxes, not the text around them', () => {
    const t = text(
      `${para('Avlastning er et tilbud.')}<form><label>Antall</label><select><option>1</option><option>2</option><option>3</option></select></form><div class="product-filters"><p>Filtrer etter bydel og alder</p></div><div class="sort-by"><p>Sorter etter nyeste</p></div>${para('Søknaden behandles innen fire uker.')}`,
    );
    expect(t).not.toMatch(/Filtrer etter|Sorter etter|\b1 2 3\b/);
    expect(t).toContain('Søknaden behandles innen fire uker.');
  });
});

describe('forum threads', () => {
  it('keeps each post and drops its author pane and signature', () => {
    const post = (who: string, body: string): string =>
      `<article class="post"><aside class="cAuthorPane"><h3>${who}</h3><ul><li>Medlem</li><li>1 204 innlegg</li></ul></aside><div class="post-body"><p>${body}</p></div><div class="signature"><p>Mor til to, bor i Fjordvik kommune</p></div></article>`;
    const html = `<!doctype html><html lang="nb"><body><main><h1>Avlastning i sommerferien?</h1>${post(
      'Kari',
      'Har noen fått avlastning i sommerferien når den faste avlasteren har ferie? Kommunen sier de ikke har folk.',
    )}${post('Ola', 'Vi fikk vedtak om avlastning i bolig i tre uker, men måtte klage først. Klagen tok seks uker å behandle.')}</main></body></html>`;
    const r = extract(html, { url: 'https://forum.example.no/t/1' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.page.text).toContain('Har noen fått avlastning i sommerferien');
    expect(r.page.text).toContain('Klagen tok seks uker å behandle.');
    expect(r.page.text).not.toMatch(/innlegg|Mor til to/);
  });
});
