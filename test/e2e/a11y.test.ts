/**
 * Accessibility and small screens, in real headless Chromium: axe-core (WCAG 2.1 A/AA rules) on
 * every page type of the review page (queue, empty queue, item new/changed/removed, log, an error
 * page) and on the audit report, each at 1280 px and 375 px wide, plus a check that nothing runs
 * off the side at 375 px (the review pages) and 1280 px (the report). Skipped only when no Chromium
 * is installed, and never in CI (ETI_REQUIRE_BROWSER=1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { CHROMIUM_ARGS } from '../../src/pipeline/fetch/browser.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { startReviewServer, type ReviewServer } from '../../src/review/server.js';
import { readTopicFile, topicsDirOf } from '../../src/pipeline/topics/index.js';
import { Store, storeDirOf } from '../../src/store/store.js';
import { io, seedWorkspace } from '../helpers/audit-workspace.js';
import { eti } from '../review/seed.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
if (!hasChromium) console.warn(`skipping the accessibility tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 375] as const;

/** axe-core's violations on the page as it is now, one line each (rule: selectors), WCAG A/AA and best practice. */
async function axeViolations(page: Page): Promise<string[]> {
  // Injected through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map(
      (v) =>
        `${v.id}: ${v.nodes
          .map((n) => JSON.stringify(n.target))
          .slice(0, 3)
          .join(' ')}`,
    );
  });
  return found;
}

/** How far the page runs off the right side (0 when it fits). */
async function overflowPx(page: Page): Promise<number> {
  return page.evaluate(() => {
    const el = document.scrollingElement!;
    return el.scrollWidth - el.clientWidth;
  });
}

/** `eti demo` in a temp workspace: v1 approved and published, v2 crawled and summarised, so new, changed and removed items wait. */
async function seedChanges(now: string): Promise<string> {
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-a11y-'));
  const r = await eti(['demo', '-q', '-w', ws, '--port', '0'], { ETI_NOW: now });
  if (r.code !== 0) throw new Error(`eti demo exited ${r.code}: ${r.err}`);
  return ws;
}

describe.skipIf(!hasChromium)('accessibility and small screens (axe-core in Chromium)', () => {
  let browser: Browser;
  let server: ReviewServer;
  let empty: ReviewServer;
  let items: ReviewItem[];
  let reportUrl: string;
  let topicPath: string;

  beforeAll(async () => {
    const ws = await seedChanges('2026-11-02T08:00:00.000Z');
    items = (await (await Store.open(storeDirOf(ws))).reviews()).filter((i) => i.status === 'pending');
    const topic = (await readTopicFile(topicsDirOf(storeDirOf(ws)), 'avlastning')).compilations[0]!;
    topicPath = `topic/avlastning/${topic.id.slice(0, 12)}`;
    server = await startReviewServer({ workspace: ws, clock: () => new Date('2026-11-03T08:00:00.000Z') });
    empty = await startReviewServer({ workspace: await mkdtemp(path.join(os.tmpdir(), 'eti-a11y-empty-')) });
    const auditWs = await seedWorkspace();
    expect(await main(['audit', '--html', 'rapport.html', '--pages', '--quiet'], io(auditWs))).toBe(0);
    reportUrl = pathToFileURL(path.join(auditWs, 'rapport.html')).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await empty?.close();
  });

  const pageTypes: [string, () => string][] = [
    ['queue', () => server.url],
    ['empty queue', () => empty.url],
    ['item: new page', () => `${server.url}item/${items.find((i) => i.kind === 'new')!.id}`],
    ['item: changed page', () => `${server.url}item/${items.find((i) => i.kind === 'changed')!.id}`],
    ['item: removed page', () => `${server.url}item/${items.find((i) => i.kind === 'removed')!.id}`],
    ['topic page', () => `${server.url}${topicPath}`],
    ['log', () => `${server.url}log`],
    ['error page (404)', () => `${server.url}item/finnes-ikke`],
  ];

  it('has pending new, changed and removed items to show', () => {
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['new', 'changed', 'removed']));
  });

  it('diff: line-number columns are 3 rem at 1280 px; at 375 px old stands above new, each labelled', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`${server.url}item/${items.find((i) => i.kind === 'changed')!.id}`);
      const widths = await page
        .locator('table.diff tbody tr.change')
        .first()
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => Math.round(td.getBoundingClientRect().width)));
      expect(widths[0]).toBe(48);
      expect(widths[2]).toBe(48);
      expect(widths[1]).toBeGreaterThan(400);
      await page.setViewportSize({ width: 375, height: 800 });
      const [oldBox, newBox] = await page
        .locator('table.diff tbody tr.change')
        .first()
        .locator('td.old, td.new')
        .evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().toJSON() as DOMRect));
      expect(newBox!.top).toBeGreaterThanOrEqual(oldBox!.bottom - 1);
      expect(oldBox!.width).toBeGreaterThan(250);
      const label = await page
        .locator('table.diff tbody tr.change td.old')
        .first()
        .evaluate((td) => getComputedStyle(td, '::before').content);
      expect(label).toBe('"Før: "');
    } finally {
      await page.close();
    }
  });

  it('queue and item pages: no English left from the classifier or the layout', async () => {
    const page = await browser.newPage();
    try {
      for (const [name, url] of pageTypes.filter(([n]) => n.startsWith('item') || n === 'queue')) {
        await page.goto(url());
        // The page's prose, without the URLs and ids it quotes.
        const prose = await page.evaluate(() => {
          const copy = document.body.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('script, style, a[href^="http"], table.diff').forEach((n) => n.remove());
          return copy.innerText;
        });
        expect(
          prose.match(/\b(figure|words?|added|removed|page|section|only|new|changed|pending|material|wording|cosmetic|approve|reject)\b/gi),
          name,
        ).toBeNull();
      }
    } finally {
      await page.close();
    }
  });

  for (const [name, url] of pageTypes) {
    for (const width of WIDTHS) {
      it(`review page, ${name}, ${width} px: no axe violations${width === 375 ? ', nothing off screen' : ''}`, async () => {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        try {
          await page.goto(url());
          expect(await axeViolations(page)).toEqual([]);
          expect(await overflowPx(page)).toBeLessThanOrEqual(0);
        } finally {
          await page.close();
        }
      });
    }
  }

  for (const width of WIDTHS) {
    it(`audit report, ${width} px: no axe violations, nothing off screen`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        await page.goto(reportUrl, { waitUntil: 'load' });
        expect(await axeViolations(page)).toEqual([]);
        expect(await overflowPx(page)).toBeLessThanOrEqual(0);
      } finally {
        await page.close();
      }
    });
  }
});
