/**
 * One test per rule of round 4 for service, documentation and listing pages (issue 14): each
 * builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE } from '../../helpers/extract-rules.js';
import { parseDocument } from '../../../src/pipeline/extract/extract.js';
import { blockLines, digitGroups } from '../../../src/pipeline/extract/text.js';
import { keepFactBlocks } from '../../../src/pipeline/extract/choice.js';
import { findMain } from '../../../src/pipeline/extract/clean.js';

describe("<main> cut down to Readability's blocks", () => {
  it('keeps a list of short items between the blocks Readability kept, not a menu of links there', () => {
    const after = 'Vedtaket kan påklages til Statsforvalteren innen tre uker etter at du har fått det, og klagen sendes kommunen.';
    const doc = parseDocument(
      `<!doctype html><html lang="nb"><body><main><h1>Omsorgsstønad</h1><p>${PROSE}</p><p>Kommunen ser blant annet på:</p>` +
        '<ul><li>hvor mye <a href="/tid">tid omsorgen tar</a></li><li>hvor tung omsorgen er</li><li>om familien får <a href="/avlastning">annen hjelp</a></li><li>helsen til den som gir omsorg</li></ul>' +
        '<ul class="meny"><li><a href="/a">Avlastning</a> <a href="/b">Støttekontakt</a> <a href="/c">Brukerstyrt personlig assistanse</a></li>' +
        '<li><a href="/d">Helsestasjon</a> <a href="/e">Fastlege</a> <a href="/f">Legevakt og akutthjelp</a></li>' +
        '<li><a href="/g">Barnehage</a> <a href="/h">Skole</a> <a href="/i">Skolefritidsordning for alle</a></li></ul>' +
        `<p>${after}</p></main></body></html>`,
      'https://example.no/omsorgsstonad',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    // Readability kept the prose and left both lists out.
    const readText = `Omsorgsstønad ${PROSE} Kommunen ser blant annet på: ${after}`.replace(/\s+/g, ' ');
    keepFactBlocks(main, readText, digitGroups);
    const text = blockLines(main).join('\n');
    expect(text).toContain('hvor tung omsorgen er');
    expect(text).toContain('om familien får annen hjelp');
    expect(text).not.toContain('Legevakt og akutthjelp');
  });
});

describe("the main content named by its skip link's target", () => {
  it('takes the block with id "main" or "main-content" for <main> on a page without one, and a real <main> first', () => {
    const page = (body: string): Document =>
      parseDocument(
        `<!doctype html><html lang="nb"><body><a href="#main-content">Hopp til innhold</a>${body}</body></html>`,
        'https://example.no/side',
      );
    const named = page(
      `<div class="wrap"><div class="meny"><a href="/a">Avlastning</a></div><div id="main-content"><h1>Omsorgsstønad</h1><p>${PROSE}</p></div></div>`,
    );
    expect(findMain(named)?.getAttribute('id')).toBe('main-content');
    expect(findMain(page(`<div id="main"><h1>Omsorgsstønad</h1><p>${PROSE}</p></div>`))?.getAttribute('id')).toBe('main');
    const both = page(`<div id="main"><nav><a href="/a">Avlastning</a></nav><main><h1>Omsorgsstønad</h1><p>${PROSE}</p></main></div>`);
    expect(findMain(both)?.localName).toBe('main');
    expect(findMain(page(`<div id="mainmenu"><p>${PROSE}</p></div>`))).toBeNull();
  });
});
