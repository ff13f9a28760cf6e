/**
 * The first hour in-process: eti init, eti doctor (loopback hosts, injected DNS failure), colour
 * per stream, and the exit-code table as the one source for README, --help and docs/ci.md.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { Context, type Io } from '../../src/steps/context.js';
import { prepareDemoWorkspace } from '../../src/commands/demo.js';
import { runDoctor, type DoctorCheck } from '../../src/commands/doctor.js';
import { loadConfig } from '../../src/config/load.js';
import { startDemoServer } from '../../src/demo/server.js';
import { EXIT_CODE_MEANINGS, ExitCode } from '../../src/errors.js';

type TestIo = Io & { out: string; err: string };

function io(env: Record<string, string> = {}, extra: Partial<Io> = {}): TestIo {
  const o = { out: '', err: '' } as TestIo;
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env,
    cwd: os.tmpdir(),
    isTTY: false,
    ...extra,
  });
}

async function eti(
  args: string[],
  env: Record<string, string> = {},
  extra: Partial<Io> = {},
): Promise<{ code: number; out: string; err: string }> {
  const t = io(env, extra);
  const code = await main(args, t);
  return { code, out: t.out, err: t.err };
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const newDir = async (): Promise<string> => path.join(await mkdtemp(path.join(os.tmpdir(), 'eti-init-')), 'ws');

describe('eti init', () => {
  it('makes a workspace of the real sources: sources.yaml with $schema, prompts/, schema/, .gitignore, README', async () => {
    const ws = await newDir();
    const r = await eti(['init', ws]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      `Made an eti workspace in ${ws} (real sources): sources.yaml, prompts, schema, .gitignore, README.md.`,
    );
    const yaml = await readFile(path.join(ws, 'sources.yaml'), 'utf8');
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/sources.schema.json');
    expect(existsSync(path.join(ws, 'schema', 'sources.schema.json'))).toBe(true);
    expect(yaml).not.toMatch(/\.\.\/(sources\.yaml|schema|shared)/);
    const { sources } = await loadConfig(path.join(ws, 'sources.yaml'));
    const repo = await loadConfig(path.join(ROOT, 'sources.yaml'));
    expect(sources.map((s) => s.id)).toEqual(repo.sources.map((s) => s.id));
    expect(existsSync(path.join(ws, 'prompts', 'summary.system.md'))).toBe(true);
    expect(await readFile(path.join(ws, '.gitignore'), 'utf8')).toContain('.eti/');
    expect((await readdir(ws)).sort()).toEqual(['.gitignore', 'README.md', 'prompts', 'schema', 'sources.yaml']); // no staging left
    const readme = await readFile(path.join(ws, 'README.md'), 'utf8');
    expect(readme).toContain('eti doctor');
    expect(readme).toContain('eti summarize --provider anthropic --max-cost 2');
    expect(readme).toMatch(/2 USD per million input tokens/);
    expect(readme).toMatch(/Setting the key alone changes nothing/);
  });

  it('--sources minimal and --demo give valid sources; a folder that has them, or a bad --sources, is refused (exit 2)', async () => {
    const min = await newDir();
    expect((await eti(['init', min, '--sources', 'minimal'])).code).toBe(0);
    expect((await loadConfig(path.join(min, 'sources.yaml'))).sources.map((s) => s.id)).toEqual(['nav-grunnstonad']);
    const demo = await newDir();
    expect((await eti(['init', demo, '--demo'])).code).toBe(0);
    const d = await loadConfig(path.join(demo, 'sources.yaml'));
    expect(d.sources[0]!.start_urls[0]).toBe('http://127.0.0.1:8737/');
    expect(await readFile(path.join(demo, 'README.md'), 'utf8')).toContain('eti demo --serve v1');
    const again = await eti(['init', min]);
    expect(again.code).toBe(2);
    expect(again.err.split('\n')[0]).toBe(
      `eti: ${min}: already has sources.yaml, prompts, schema, .gitignore, README.md; eti init writes nothing there`,
    );
    const file = path.join(min, 'README.md');
    const onFile = await eti(['init', file]);
    expect(onFile.code).toBe(2);
    expect(onFile.err.split('\n')[0]).toBe(`eti: ${file}: is a file, not a folder`);
    const both = await eti(['init', await newDir(), '--demo', '--sources', 'real']);
    expect(both.code).toBe(2);
    expect(both.err.split('\n')[0]).toBe('eti: --demo and --sources: choose one');
    const bad = await eti(['init', await newDir(), '--sources', 'all']);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')[0]).toBe('eti: --sources: expected real or minimal, got "all"');
  });

  it("the demo workspace's sources.yaml does not point at ../sources.yaml or ../schema", async () => {
    const ws = await mkdtemp(path.join(os.tmpdir(), 'eti-demo-ws-'));
    await prepareDemoWorkspace(ws, 'http://127.0.0.1:1');
    const yaml = await readFile(path.join(ws, 'sources.yaml'), 'utf8');
    expect(yaml).not.toContain('../');
    expect(yaml).toContain('eti init DIR');
  });
});

describe('eti doctor', () => {
  let servers: http.Server[] = [];
  const origins: string[] = [];
  beforeAll(async () => {
    for (const status of [200, 404, 503]) {
      const s = http.createServer((_req, res) =>
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'User-agent: *\nDisallow:\n' : ''),
      );
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      servers.push(s);
      origins.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    }
  });
  afterAll(() => {
    for (const s of servers) s.close();
    servers = [];
  });

  async function workspace(): Promise<string> {
    const ws = await newDir();
    expect((await eti(['init', ws, '--sources', 'minimal'])).code).toBe(0);
    const sources = origins
      .map((o, i) => `  - { id: s${i}, name: S${i}, owner: O, start_urls: ['${o}/'], allow_private_network: true }\n`)
      .join('');
    await writeFile(path.join(ws, 'sources.yaml'), `version: 1\ncontact: test@example.org\nsources:\n${sources}`);
    return ws;
  }

  it('one line per check with the fix; robots.txt 200 and 404 pass, 503 fails; exit 1', async () => {
    const ws = await workspace();
    const r = await eti(['doctor', '-w', ws], { ETI_CHROMIUM: '/nonexistent/chrome' });
    expect(r.code).toBe(ExitCode.checkFailed);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^OK {4}node {7}Node \d+\.\d+\.\d+$/);
    expect(lines[1]).toBe(
      'FAIL  browser    ETI_CHROMIUM=/nonexistent/chrome: no such file; pages of 3 sources that need JavaScript will fail — fix: Fix or unset ETI_CHROMIUM (eti then looks for an installed browser).',
    );
    expect(lines[2]).toMatch(/^OK {4}key {8}ANTHROPIC_API_KEY not set: summaries use the offline provider/);
    expect(lines[3]).toBe(`OK    workspace  ${path.join(ws, 'sources.yaml')}: 3 sources`);
    expect(lines[4]).toMatch(/^OK {4}prompts /);
    expect(lines[5]).toBe('OK    store      no store yet (the first crawl makes .eti/)');
    const hosts = lines.slice(6).sort();
    expect(hosts).toHaveLength(3);
    expect(hosts.join('\n')).toContain('robots.txt HTTP 200');
    expect(hosts.join('\n')).toContain('no robots.txt (HTTP 404: no rules)');
    expect(hosts.join('\n')).toMatch(
      /FAIL {2}host 127\.0\.0\.1 robots\.txt answers HTTP 503: the crawl treats the host as failing — fix: /,
    );
  });

  it('--json: one object; the key is reported present and never printed; a host that does not resolve fails', async () => {
    const ws = await workspace();
    const t = io({ ETI_CHROMIUM: process.execPath, ANTHROPIC_API_KEY: 'sk-ant-doctor-secret' }, {});
    const ctx = new Context(t, { workspace: ws, json: true });
    const net = {
      resolve: async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
      robotsStatus: async () => 200,
    };
    const { code, checks } = await runDoctor(ctx, { net });
    expect(code).toBe(1);
    const byName = (n: string): DoctorCheck => checks.find((c) => c.name === n)!;
    expect(byName('browser')).toMatchObject({ status: 'ok', detail: `${process.execPath} (ETI_CHROMIUM)` });
    expect(byName('key').detail).toMatch(/^ANTHROPIC_API_KEY is set \(not shown\) but unused/);
    expect(
      checks.filter((c) => c.name.startsWith('host ')).every((c) => c.status === 'fail' && c.detail === 'does not resolve (ENOTFOUND)'),
    ).toBe(true);
    expect(byName('network')).toMatchObject({
      status: 'fail',
      detail: 'no source host resolves: this machine seems to have no network or DNS',
    });
    expect(JSON.parse(t.out)).toMatchObject({ type: 'doctor', ok: false });
    expect(t.out + t.err).not.toContain('sk-ant-doctor-secret');
    const old = await runDoctor(new Context(io(), { workspace: ws }), { isOffline: true, nodeVersion: '18.19.0' });
    expect(old.checks[0]).toMatchObject({ name: 'node', status: 'fail' });
  });
});

describe('colour', () => {
  let ws: string;
  const url = (origin: string): string => `${origin}/nav/satser/grunn-og-hjelpestonad/`;
  let pageUrl: string;
  beforeAll(async () => {
    const server = await startDemoServer({ version: 'v1', preferredPort: 0 });
    try {
      ws = await mkdtemp(path.join(os.tmpdir(), 'eti-colour-'));
      await prepareDemoWorkspace(ws, server.origin);
      expect((await eti(['crawl', '-q', '-s', 'demo-nav', '-w', ws])).code).toBe(0);
      server.setVersion('v2');
      expect((await eti(['crawl', '-q', '-s', 'demo-nav', '-w', ws])).code).toBe(0);
      pageUrl = url(server.origin);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("follows stdout's terminal, not stderr's; NO_COLOR and FORCE_COLOR win", async () => {
    const ESC = '\x1b[';
    const run = async (env: Record<string, string>, extra: Partial<Io>): Promise<string> => {
      const r = await eti(['diff', pageUrl, '-w', ws], env, extra);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('8 580');
      return r.out;
    };
    expect(await run({}, { isTTY: true, isStdoutTTY: false })).not.toContain(ESC); // eti diff > file on a terminal
    expect(await run({}, { isTTY: false, isStdoutTTY: true })).toContain(ESC);
    expect(await run({ NO_COLOR: '1' }, { isStdoutTTY: true })).not.toContain(ESC);
    expect(await run({ FORCE_COLOR: '1' }, { isStdoutTTY: false })).toContain(ESC);
    expect(await run({ FORCE_COLOR: '0' }, { isStdoutTTY: false })).not.toContain(ESC);
  });
});

describe('exit codes', () => {
  it('errors.ts is the one table: README, --help and docs/ci.md say the same codes', async () => {
    const codes = Object.keys(EXIT_CODE_MEANINGS)
      .map(Number)
      .sort((a, b) => a - b);
    expect(codes).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
    const table = (text: string, heading: string): number[] => {
      const section = text.slice(text.indexOf(heading));
      const rows = section.split('\n').filter((l) => /^\| \d+ \|/.test(l));
      return rows.map((l) => Number(/^\| (\d+) \|/.exec(l)![1]));
    };
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    expect(table(readme, '## Exit codes').sort((a, b) => a - b)).toEqual(codes);
    const ci = table(await readFile(path.join(ROOT, 'docs', 'ci.md'), 'utf8'), '## Exit codes');
    for (const c of ci) expect(codes).toContain(c);
    const help = await eti(['--help']);
    for (const [code, meaning] of Object.entries(EXIT_CODE_MEANINGS)) expect(help.out).toContain(`  ${code.padEnd(3)} ${meaning}`);
  });
});
