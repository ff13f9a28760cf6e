import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFiles } from '../../../src/pipeline/publish/bundle.js';
import { readBundleDir, siteFiles, writeSite } from '../../../src/pipeline/site/index.js';
import { samplePage, twoBundles } from '../../helpers/channel-bundle.js';

describe('the preview site', () => {
  it('has a page per published page, topic and source, «Hva er nytt», search, and the feeds', async () => {
    const { v2, outDir } = await twoBundles();
    const out = path.join(outDir, 'site');
    const r = await writeSite(v2, out);
    const files = (await readdir(out, { recursive: true })).map(String);
    expect(files).toEqual(
      expect.arrayContaining([
        'index.html',
        'tema.html',
        'hva-er-nytt.html',
        'sok.html',
        'stil.css',
        'sok/sok.js',
        'sok/minisearch.js',
        'sok/indeks.json',
        'sider/satser-grunnstonad.html',
        'sider/ond.html',
        'tema/nav.html',
        'tema/ytelser-og-stotte.html',
        'kilde/nav.html',
        'feeds/all.xml',
        'feeds/tag/nav/all.json',
      ]),
    );
    expect(files).not.toContain('sider/avlastning.html'); // withdrawn
    expect(r.files).toBe(files.filter((f) => /\.[a-z]+$/.test(f) || f === '.eti-site').length);
    const nav = await readFile(path.join(out, 'sider/satser-grunnstonad.html'), 'utf8');
    expect(nav).toContain('Sist kontrollert <time datetime="2026-01-05">5. januar 2026</time>');
    expect(nav).toContain('Fra kilden: «Sats 1 | 8 232 | 686»');
    expect(nav).toContain('<h2>Hva er nytt</h2>');
    expect(nav).toContain('Satsen er økt til 8 580 kroner i året.');
    expect(nav).toContain('Lisens: NLOD 2.0. Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av NAV.');
    const news = await readFile(path.join(out, 'hva-er-nytt.html'), 'utf8');
    expect(news).toMatch(/Trukket tilbake<\/span> <time[^>]*>[^<]*<\/time>: Avlastning \(Fjordvik kommune\)/);
    expect(news).not.toContain('href="sider/avlastning.html"'); // no link to a page that is gone
  });

  it('escapes page text everywhere: <script> and ]]> stay text', async () => {
    const { v2 } = await twoBundles();
    const { bundle, history } = await readBundleDir(v2);
    for (const [rel, content] of siteFiles(bundle, history)) {
      if (!rel.endsWith('.html')) continue;
      expect(content, rel).not.toContain('<script>');
      expect(content, rel).not.toContain('<b>');
      expect(content.match(/<script\b[^>]*>/g) ?? [], rel).toEqual(rel === 'sok.html' ? ['<script src="sok/sok.js" defer>'] : []);
    }
    const evil = siteFiles(bundle, history).get('sider/ond.html')!;
    expect(evil).toContain('<h1>Ond &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &quot;sitat&quot;</h1>');
    expect(JSON.parse(siteFiles(bundle, history).get('sok/indeks.json')!)).toBeTruthy();
  });

  it('carries licence and credit on every page', async () => {
    const { v2 } = await twoBundles();
    const { bundle, history } = await readBundleDir(v2);
    for (const [rel, content] of siteFiles(bundle, history)) {
      if (!rel.endsWith('.html')) continue;
      expect(content, rel).toMatch(
        /Lisens: NLOD 2\.0\. Inneholder data|<li>NLOD 2\.0\. Inneholder data under Norsk lisens for offentlige data \(NLOD\) tilgjengeliggjort av NAV\.<\/li>/,
      );
    }
    // «Hva er nytt» shows the withdrawn page's entry, so its licence is listed too.
    expect(siteFiles(bundle, history).get('hva-er-nytt.html')).toContain('<li>CC BY 4.0. Kilde: Fjordvik kommune.</li>');
  });

  it('is byte-identical for the same bundle', async () => {
    const { v2 } = await twoBundles();
    const { bundle, history } = await readBundleDir(v2);
    const a = siteFiles(bundle, history);
    const b = siteFiles(structuredClone(bundle), structuredClone(history));
    expect([...a]).toEqual([...b]);
    const { v2: again } = await twoBundles();
    const other = await readBundleDir(again);
    expect([...siteFiles(other.bundle, other.history)]).toEqual([...a]);
  });

  it('keeps every page under 100 KB: long lists are split, a source of 1,000 pages included', () => {
    const pages = Array.from({ length: 1000 }, (_, i) =>
      samplePage({
        url: `https://www.nav.no/side/${i}`,
        slug: `side-${i}`,
        title: `Side nummer ${i} om en stønad med et ganske langt navn`,
        contentHash: `c${i}`,
      }),
    );
    const { bundle, files } = bundleFiles(pages);
    const history = JSON.parse(files.get('history.json')!).entries;
    const site = siteFiles(bundle, history);
    for (const [rel, content] of site) {
      if (rel.endsWith('.html')) expect(Buffer.byteLength(content), rel).toBeLessThan(100 * 1024);
    }
    expect(site.has('kilde/nav.s7.html')).toBe(true);
    expect(site.get('kilde/nav.html')).toContain('Del 1 av 7');
  });

  it('never replaces a folder it did not write', async () => {
    const { v2, outDir } = await twoBundles();
    const mine = path.join(outDir, 'mine');
    await mkdir(mine);
    await writeFile(path.join(mine, 'viktig.txt'), 'x');
    await expect(writeSite(v2, mine)).rejects.toThrow(/not empty and not a site eti wrote/);
    expect(await readFile(path.join(mine, 'viktig.txt'), 'utf8')).toBe('x');
    const site = path.join(outDir, 'site');
    await writeSite(v2, site);
    await writeSite(v2, site); // its own site is replaced
  });
});
