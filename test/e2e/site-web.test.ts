/**
 * The preview site as a family meets it: served over loopback HTTP and opened in real headless
 * Chromium. axe-core checks WCAG 2.1 A and AA on every page type; keyboard, 375 px and no-JS use
 * are driven for real. Skipped only when no Chromium is installed, and never in CI
 * (ETI_REQUIRE_BROWSER=1).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../src/pipeline/fetch/browser.js';
import { writeSite } from '../../src/pipeline/site/index.js';
import { twoBundles } from '../helpers/channel-bundle.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
if (!hasChromium) console.warn(`skipping the preview site browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.xml': 'application/atom+xml',
};

/** Every page type of the site. */
const PAGES = [
  'index.html',
  'sider/satser-grunnstonad.html',
  'sider/ond.html',
  'tema/nav.html',
  'tema.html',
  'kilde/nav.html',
  'hva-er-nytt.html',
  'sok.html',
  'sok.html?q=grunnst',
];

describe.skipIf(!hasChromium)('the preview site in real Chromium', () => {
  let browser: Browser;
  let origin = '';
  let close: (() => Promise<void>) | undefined;
  const foreign: string[] = [];

  beforeAll(async () => {
    const { v2, outDir } = await twoBundles();
    const site = path.join(outDir, 'site');
    await writeSite(v2, site);
    // A static file server for the site folder (search fetches its index, which file:// forbids).
    const files = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
      if (rel.includes('..')) return void res.writeHead(400).end();
      try {
        const body = await readFile(path.join(site, rel));
        res.writeHead(200, { 'content-type': TYPES[path.extname(rel)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    };
    const s = http.createServer((req, res) => void files(req, res));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    close = () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  async function open(rel: string, opts: { width?: number; js?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1024, height: 800 }, javaScriptEnabled: opts.js ?? true });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(origin)) foreign.push(r.url());
    });
    await page.goto(`${origin}/${rel}`, { waitUntil: 'load' });
    return page;
  }

  it('has no WCAG 2.1 A/AA violations on any page type (axe-core)', async () => {
    for (const rel of PAGES) {
      const page = await open(rel);
      if (rel.includes('?q=')) await page.locator('#sok-treff li').first().waitFor();
      await page.addScriptTag({ content: AXE });
      const result = (await page.evaluate(() =>
        (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        }),
      )) as { violations: { id: string; nodes: { target: string[] }[] }[]; passes: unknown[] };
      expect(
        result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        rel,
      ).toEqual([]);
      expect(result.passes.length, rel).toBeGreaterThan(10);
      await page.context().close();
    }
    expect(foreign).toEqual([]); // no tracking, no external resources
    // The check can fail: the same run on a page given an image without alt text and grey-on-white text.
    const page = await open('index.html');
    await page.evaluate(() => {
      document
        .querySelector('main')!
        .insertAdjacentHTML('beforeend', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb">svak kontrast</p>');
    });
    await page.addScriptTag({ content: AXE });
    const bad = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      }),
    )) as { violations: { id: string }[] };
    expect(bad.violations.map((v) => v.id).sort()).toEqual(['color-contrast', 'image-alt']);
    await page.context().close();
  });

  it('is usable by keyboard: skip link first, then search from the keyboard alone', async () => {
    const page = await open('sider/satser-grunnstonad.html');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gå til innholdet');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid'); // focus is visible
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#innhold');
    await page.focus('#sok-felt');
    await page.keyboard.type('avlast');
    await page.keyboard.press('Enter');
    await page.waitForURL(/sok\.html\?q=avlast/);
    await page.locator('#sok-status').filter({ hasText: 'treff' }).waitFor();
    // Avlastning is withdrawn in v2: nothing to find; grunnstønad is.
    expect(await page.locator('#sok-status').textContent()).toBe('Ingen treff for «avlast».');
    await page.goto(`${origin}/sok.html?q=grunnst%C3%B8nad`);
    await page.locator('#sok-treff li a').first().waitFor();
    await page.locator('#sok-treff li a').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sider\/satser-grunnstonad\.html$/);
    await page.context().close();
  });

  it('loads the search index only when someone searches', async () => {
    const page = await open('index.html');
    const loaded: string[] = [];
    page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
    await page.reload({ waitUntil: 'load' });
    expect(loaded.filter((p) => p.startsWith('/sok/'))).toEqual([]);
    await page.goto(`${origin}/sok.html?q=nav`, { waitUntil: 'load' });
    await page.locator('#sok-treff li').first().waitFor();
    expect(loaded).toEqual(expect.arrayContaining(['/sok/sok.js', '/sok/minisearch.js', '/sok/indeks.json']));
    // Search results are text: the evil title shows as text, no script ran.
    await page.goto(`${origin}/sok.html?q=ond`, { waitUntil: 'load' });
    await page.locator('#sok-treff li a').first().waitFor();
    expect(await page.locator('#sok-treff li a').first().textContent()).toBe('Ond <script>alert(1)</script> ]]> & "sitat"');
    expect(await page.locator('#sok-treff script').count()).toBe(0);
    await page.context().close();
  });

  it('is readable at 375 px: nothing wider than the screen', async () => {
    for (const rel of PAGES) {
      const page = await open(rel, { width: 375 });
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      expect(scroll, rel).toBeLessThanOrEqual(client);
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      expect(size, rel).toBeGreaterThanOrEqual(16);
      await page.context().close();
    }
  });

  it('works without JavaScript except search, which says so', async () => {
    const page = await open('sider/satser-grunnstonad.html', { js: false });
    expect(await page.locator('h1').textContent()).toBe('Grunnstønad');
    await page.locator('a', { hasText: 'Forside' }).click();
    await page.waitForURL(/index\.html$/);
    await page.locator('a', { hasText: 'nav' }).first().click();
    expect(await page.locator('h1').textContent()).toBe('Tema: nav');
    await page.goto(`${origin}/sok.html?q=nav`);
    expect(await page.locator('main').textContent()).toContain('Søket trenger JavaScript.');
    await page.context().close();
  });
});
