/** `eti crawl` in-process: honest exit codes for a failing host and an out-of-scope start URL. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { startServer } from '../helpers/loopback.js';

/** The CLI in-process, output collected. */
async function eti(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const code = await main(args, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env: {},
    cwd: os.tmpdir(),
    isTTY: false,
  });
  return { code, ...o };
}

async function workspace(yaml: string): Promise<string> {
  const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-crawl-exit-'));
  await writeFile(path.join(ws, 'sources.yaml'), yaml);
  return ws;
}

describe('eti crawl exit codes', () => {
  it('exits 3 when every fetch failed because the host cannot be reached: a network failure, not "disallowed by robots.txt"', async () => {
    const closed = await startServer({});
    const origin = closed.origin;
    await closed.close();
    const ws = await workspace(`version: 1
contact: test@example.org
defaults: { delay_ms: 0, allow_private_network: true, use_sitemap: false }
sources:
  - { id: borte, name: Borte, owner: Test, start_urls: ['${origin}/'] }
`);
    const r = await eti(['crawl', '-w', ws]);
    expect(r.code).toBe(3);
    expect(r.out + r.err).toMatch(/1 failed \(network/);
    expect(r.out + r.err).toContain('the host is failing');
    expect(r.out + r.err).not.toContain('disallowed by robots.txt');
  });

  it('exits 2 with file:line for a start URL outside its source’s scope', async () => {
    const ws = await workspace(`version: 1
contact: test@example.org
sources:
  - id: nav
    name: NAV
    owner: NAV
    start_urls: ['https://www.helsenorge.no/x']
    allowed_hosts: [www.nav.no]
`);
    const r = await eti(['crawl', '-w', ws]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(
      /sources\.yaml:7 sources\[id=nav\]\.start_urls\[0\]: https:\/\/www\.helsenorge\.no\/x is outside the source's own scope/,
    );
  });
});
