/**
 * The review web page in real headless Chromium: the demo site (plus a loopback page whose text
 * holds a <script> tag) crawled and summarised in a temp workspace, an editor edits a summary
 * in the page and approves it, and `eti publish` puts the edited text in the bundle. Also: a
 * POST without the CSRF token is refused, and page text with <script> stays inert.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '../../src/pipeline/fetch/browser.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { startReviewServer, type ReviewServer } from '../../src/review/server.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { html, startServer, type Loopback } from '../helpers/loopback.js';
import { eti, seedDemoWorkspace } from '../review/seed.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping review web tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const EVIL = '<script>alert("xss")</script>';
const SCRIPT_PAGE = `<!doctype html><html lang="nb"><head><title>Skriptside</title></head><body><main><article>
<h1>Skriptside</h1>
<p>Denne siden nevner ${EVIL.replace(/</g, '&lt;').replace(/>/g, '&gt;')} som vanlig tekst, og sats 1 er 8 232 kroner i året.</p>
<p>${'Grunnstønad gis til den som har varige ekstrautgifter på grunn av sykdom, skade eller lyte. '.repeat(6)}</p>
<p>${'Du søker på nettsiden eller med papirskjema, og svar kommer innen åtte uker etter at søknaden kom inn. '.repeat(5)}</p>
</article></main></body></html>`;

describe.skipIf(!hasChromium)('eti review --serve in Chromium', () => {
  let site: Loopback;
  let ws: string;
  let server: ReviewServer;
  let browser: Browser;
  let items: ReviewItem[];

  beforeAll(async () => {
    site = await startServer({ '/side/': html(SCRIPT_PAGE) });
    const re = site.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    ws = await seedDemoWorkspace(
      '2026-11-01T08:00:00.000Z',
      `  - id: test-skript\n    name: Skripttest\n    owner: Test\n    start_urls: ['${site.origin}/side/']\n    include: ['^${re}/']\n    max_depth: 0\n    use_sitemap: false\n`,
    );
    items = await (await Store.open(storeDirOf(ws))).reviews();
    // No reviewer name given: the page must not guess one.
    server = await startReviewServer({ workspace: ws });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await site?.close();
  });

  it('an editor edits a summary in the page and approves it; eti publish carries the edited text', async () => {
    const target = items.find((i) => i.url.endsWith('/nav/satser/grunn-og-hjelpestonad/'))!;
    expect(target, 'rate page queued').toBeDefined();
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Til vurdering \(\d+\)$/);
    await page.locator(`a[href="/item/${target.id}"]`).click();
    await page.waitForURL(`**/item/${target.id}`);
    expect(await page.locator('table.diff').count()).toBe(1);

    // A faithful rewrite: an edit is verified again against the page, so it must say what the page says.
    const edited = 'Grunnstønad sats 1 er 8 232 kroner i året.';
    // One name field, empty: nothing is guessed from git or $USER.
    await expect.poll(() => page.locator('input[name=reviewer]').count()).toBe(1);
    expect(await page.locator('input[name=reviewer]').inputValue()).toBe('');
    await page.getByLabel('Ditt navn').fill('Kari Redaktør');
    await page.locator('textarea[name=summary]').fill(edited);
    await page.locator('input[name=note]').fill('sjekket i nettleseren');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Godkjenn' }).click()]);
    expect(await page.getByRole('status').textContent()).toBe('Godkjent.');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/item/${target.id}?done=approved`);
    expect(await page.locator('table.log').textContent()).toContain('Kari Redaktør');
    // The next item remembers the name typed in this browser (localStorage), and only here.
    const next = items.find((i) => i.id !== target.id && i.status === 'pending')!;
    await page.goto(`${server.url}item/${next.id}`);
    expect(await page.locator('input[name=reviewer]').inputValue()).toBe('Kari Redaktør');
    const other = await browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(`${server.url}item/${next.id}`);
    expect(await fresh.locator('input[name=reviewer]').inputValue()).toBe('');
    await other.close();

    const pub = await eti(['publish', '-w', ws]);
    expect(pub.code, pub.err).toBe(0);
    const out = path.join(ws, 'output');
    const id = (await readFile(path.join(out, 'LATEST'), 'utf8')).trim();
    const bundle = JSON.parse(await readFile(path.join(out, id, 'bundle.json'), 'utf8')) as {
      pages: { url: string; slug: string; summary: string; isEdited: boolean; approvedBy: string }[];
    };
    const published = bundle.pages.find((p) => p.url === target.url)!;
    expect(published).toMatchObject({ summary: edited, isEdited: true, approvedBy: 'Kari Redaktør' });
    expect(await readFile(path.join(out, id, 'pages', `${published.slug}.md`), 'utf8')).toContain(edited);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('refuses a POST without the CSRF token (403) and leaves the item pending', async () => {
    const target = items.find((i) => i.status === 'pending' && i.summaryId && !i.url.endsWith('/grunn-og-hjelpestonad/'))!;
    const page = await browser.newPage();
    await page.goto(`${server.url}item/${target.id}`);
    const origin = server.url.replace(/\/$/, '');
    const forged = await page.request.post(`${server.url}item/${target.id}/approve`, {
      form: { reviewer: 'Mallory' },
      headers: { origin },
    });
    expect(forged.status()).toBe(403);
    // the same form with the page's own token goes through
    const csrf = await page.locator('form.decide input[name=csrf]').inputValue();
    const real = await page.request.post(`${server.url}item/${target.id}/approve`, {
      form: { csrf, reviewer: 'Kari Redaktør' },
      headers: { origin },
      maxRedirects: 0,
    });
    expect(real.status()).toBe(303);
    const store = await Store.open(storeDirOf(ws));
    expect((await store.reviews()).find((i) => i.id === target.id)!.status).toBe('approved');
    await page.close();
  });

  it('shows page text containing <script> as text: no dialog, the text visible', async () => {
    const target = items.find((i) => i.sourceId === 'test-skript')!;
    expect(target, 'the loopback page with <script> text was queued').toBeDefined();
    // With the page's Content-Security-Policy bypassed, so that escaping alone is tested: were the
    // text not escaped, the script would run and open a dialog (the CSP would otherwise block it).
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${server.url}item/${target.id}`);
    const cell = page.locator('table.diff td.new', { hasText: EVIL });
    await expect.poll(() => cell.count()).toBeGreaterThan(0);
    expect(await cell.first().isVisible()).toBe(true);
    // The one script element is the page's own (remembering the name), not the page text's.
    expect(
      await page
        .locator('script')
        .evaluateAll((els) => els.map((el) => el.textContent!.includes('localStorage') && !el.textContent!.includes('alert'))),
    ).toEqual([true]);
    await page.reload();
    expect(dialogs).toEqual([]);
    // The check can fail: the same text unescaped, on a page with the same (bypassed) policy, does open one.
    await page.setContent(`<p>${EVIL}</p>`);
    await expect.poll(() => dialogs.length).toBe(1);
    await context.close();
  });
});
