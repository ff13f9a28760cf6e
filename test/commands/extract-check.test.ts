/**
 * `eti extract --check-store` (issue 14): a dry run over the store that says how many stored pages'
 * text would change under the current extractor. Crawls the demo site into a temporary workspace,
 * then checks it as it is (nothing changes) and with the source's settings changed (everything does).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/steps/context.js';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { startDemoServer, type DemoServer } from '../../src/demo/server.js';

const CHROMIUM = process.env.ETI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.ETI_REQUIRE_BROWSER === '1')
  throw new Error(`ETI_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);

type TestIo = Io & { out: string; err: string };
function io(ws: string): TestIo {
  const o = { out: '', err: '' } as TestIo;
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env: { ETI_NOW: '2026-02-01T10:00:00Z' },
    cwd: ws,
    isTTY: false,
  });
}

interface Check {
  checked: number;
  changed: number;
  changedUrls: string[];
  failed: unknown[];
  missingRaw: number;
  skippedRendered: number;
}
const checkOf = (out: string): Check => JSON.parse(out.split('\n').find((l) => l.includes('"extract-check"'))!) as Check;

let demo: DemoServer;
let ws: string;
beforeAll(async () => {
  demo = await startDemoServer({ version: 'v1' });
  ws = await mkdtemp(path.join(os.tmpdir(), 'eti-check-store-'));
  await prepareDemoWorkspace(ws, demo.origin);
  const t = io(ws);
  expect(await main(['crawl', '-s', 'demo-nav', '-w', ws], t), t.err).toBe(0);
}, 120_000);
afterAll(async () => demo.close());

describe('eti extract --check-store', () => {
  it('finds no change right after a crawl with the same extractor', async () => {
    const t = io(ws);
    expect(await main(['extract', '--check-store', '-s', 'demo-nav', '-w', ws, '--json'], t), t.err).toBe(0);
    const c = checkOf(t.out);
    expect(c.checked).toBeGreaterThan(0);
    expect(c).toMatchObject({ changed: 0, changedUrls: [], failed: [], missingRaw: 0 });
  });

  it("counts every page whose text would change when the source's extraction changes, and writes nothing", async () => {
    const file = path.join(ws, 'sources.yaml');
    const before = await readFile(file, 'utf8');
    await writeFile(file, before.replace('    tags: [nav, ytelser]', "    tags: [nav, ytelser]\n    content_selector: 'h1'"));
    try {
      const t = io(ws);
      expect(await main(['extract', '--check-store', '-s', 'demo-nav', '-w', ws], t), t.err).toBe(0);
      expect(t.out).toMatch(/^(\d+) of \1 stored pages would get new text under the current extractor/);
      const j = io(ws);
      expect(await main(['extract', '--check-store', '-s', 'demo-nav', '-w', ws, '--json'], j)).toBe(0);
      const c = checkOf(j.out);
      expect(c.changed).toBe(c.checked);
      expect(c.changedUrls).toEqual([...c.changedUrls].sort());
    } finally {
      await writeFile(file, before);
    }
    const again = io(ws);
    expect(await main(['extract', '--check-store', '-s', 'demo-nav', '-w', ws, '--json'], again)).toBe(0);
    expect(checkOf(again.out).changed).toBe(0);
  });

  it.skipIf(!hasChromium)('does not re-extract a page rendered in a browser (its stored HTML is from before the scripts ran)', async () => {
    // demo-helsenorge is render: auto, and its page needs JavaScript: Chromium renders it.
    const crawled = io(ws);
    crawled.env = { ...crawled.env, ETI_CHROMIUM: CHROMIUM };
    expect(await main(['crawl', '-s', 'demo-helsenorge', '-w', ws], crawled), crawled.err).toBe(0);
    const t = io(ws);
    expect(await main(['extract', '--check-store', '-s', 'demo-helsenorge', '-w', ws, '--json'], t), t.err).toBe(0);
    const c = checkOf(t.out);
    expect(c.skippedRendered).toBeGreaterThan(0);
    expect(c).toMatchObject({ changed: 0, failed: [] });
    const text = io(ws);
    expect(await main(['extract', '--check-store', '-s', 'demo-helsenorge', '-w', ws], text)).toBe(0);
    expect(text.out).toMatch(/\d+ rendered in a browser not checked/);
  });

  it('refuses a file together with --check-store, and a missing file without it', async () => {
    const t = io(ws);
    expect(await main(['extract', 'side.html', '--check-store', '-w', ws], t)).toBe(2);
    expect(t.err).toContain('--check-store: give no file or URL, got "side.html"');
    const u = io(ws);
    expect(await main(['extract', '-w', ws], u)).toBe(2);
    expect(u.err).toContain('missing <file-or-url>');
  });
});
