/**
 * The first hour through the built CLI as a process: the demo on a machine without a browser,
 * `eti browser install` when Playwright's download fails, and EPIPE when stdout's reader leaves.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, eti, jsonLines, ROOT } from '../helpers/cli-process.js';
import { seedDemoWorkspace } from '../review/seed.js';

const tmp = (prefix: string): Promise<string> => mkdtemp(path.join(os.tmpdir(), prefix));

describe('the demo without a browser', () => {
  it('finishes (exit 0) with exactly one failure, on both crawls the same one, saying how to get a browser', async () => {
    const ws = path.join(await tmp('eti-nobrowser-'), 'demo');
    const r = await eti(['demo', '--workspace', ws], { ETI_CHROMIUM: '/nonexistent/chromium' });
    expect(r.code, r.stderr).toBe(0);
    const crawls = r.stdout.split('\n').filter((l) => l.startsWith('Crawled '));
    expect(crawls).toHaveLength(2);
    for (const c of crawls) expect(c).toContain('1 failed (browser-unavailable ×1)');
    expect(r.stdout + r.stderr).not.toContain('unsupported-content-type');
    const warnings = r.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: browser-unavailable: http:\/\/127\.0\.0\.1:\d+\/helsenorge\/barnekoordinator\/: \/nonexistent\/chromium: no such file; point ETI_CHROMIUM at a Chrome, Chromium or Edge executable, or unset it so eti uses an installed one or the one "eti browser install" downloads$/,
    );
  });
});

describe('eti browser install', () => {
  it("runs Playwright's installer; when the download fails: exit 5 and one line with its reason", async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(404).end('not here');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await eti(['browser', 'install'], { PLAYWRIGHT_DOWNLOAD_HOST: origin, PLAYWRIGHT_BROWSERS_PATH: await tmp('eti-pw-') });
      expect(r.code).toBe(5);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^eti: browser install: Playwright's installer could not download Chromium \(exit 1\): Download failed: server returned code 404/,
      );
      expect(lines[1]).toBe(
        'hint: Check the network or proxy (HTTPS_PROXY); or install Chrome, Chromium or Edge yourself, or set ETI_CHROMIUM to one.',
      );
      expect(lines).toHaveLength(2); // the installer's retries and stack traces stay out of a log
      expect(requests.some((u) => /\/chrom(e|ium)[^/]*\.zip$/.test(u))).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('EPIPE', () => {
  let ws: string;
  let itemId: string;
  beforeAll(async () => {
    ws = await seedDemoWorkspace();
    const list = await eti(['review', 'list', '--json', '-w', ws]);
    itemId = (jsonLines(list.stdout)[0]!.items as { id: string }[])[0]!.id;
    expect((await eti(['review', 'approve', itemId, '--as', 'Kari', '-w', ws])).code).toBe(0);
  });

  /** Run the CLI with a stdout nobody reads: the reader is gone before the first write. */
  function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('review list/show/log, diff and audit end quietly (exit 0) when the reader of stdout has gone', async () => {
    for (const args of [['review', 'list'], ['review', 'show', itemId], ['review', 'log'], ['diff'], ['audit', '--pages']]) {
      const r = await withClosedStdout([...args, '-w', ws]);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
    }
  });
});
