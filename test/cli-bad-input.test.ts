/**
 * Every bad input of issue 18 in-process: exit code and the first line of stderr, and that
 * nothing was created or moved.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { Io } from '../src/steps/context.js';

type TestIo = Io & { out: string; err: string };

function io(env: Record<string, string> = {}, cwd = os.tmpdir()): TestIo {
  const o = { out: '', err: '' } as TestIo;
  return Object.assign(o, { stdout: (s: string) => void (o.out += s), stderr: (s: string) => void (o.err += s), env, cwd, isTTY: false });
}

async function eti(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; first: string }> {
  const t = io(env);
  const code = await main(args, t);
  return { code, out: t.out, err: t.err, first: t.err.split('\n')[0]! };
}

const tmp = (prefix: string): Promise<string> => mkdtemp(path.join(os.tmpdir(), prefix));

/** A workspace as `eti init --sources minimal` makes it: sources.yaml and prompts/, no store. */
async function minimalWorkspace(): Promise<string> {
  const ws = path.join(await tmp('eti-bad-'), 'ws');
  const r = await eti(['init', ws, '--sources', 'minimal']);
  expect(r.code, r.err).toBe(0);
  return ws;
}

const SOURCE = `  - id: nav\n    name: NAV\n    owner: NAV\n    start_urls: ['https://www.nav.no/']\n`;

describe('--workspace', () => {
  it('naming a file: exit 2 and one line, no stack trace', async () => {
    const file = path.join(await tmp('eti-wsfile-'), 'sources.yaml');
    await writeFile(file, 'version: 1\n');
    for (const cmd of [['review', 'list'], ['crawl'], ['diff']]) {
      const r = await eti([...cmd, '--workspace', file]);
      expect(r.code, cmd.join(' ')).toBe(2);
      expect(r.first).toBe(`eti: --workspace: ${file} is a file, not a folder`);
      expect(r.err).not.toMatch(/internal error|at .*\.js/);
    }
  });

  it('naming a folder that does not exist: read-only commands exit 2 and create nothing', async () => {
    const missing = path.join(await tmp('eti-wsmissing-'), 'nope');
    const cases: [string[], string][] = [
      [['review', 'list'], `eti: --workspace: no folder ${missing}`],
      [['review', 'log'], `eti: --workspace: no folder ${missing}`],
      [['review', 'show', 'abcdef'], `eti: --workspace: no folder ${missing}`],
      [['diff'], `eti: --workspace: no folder ${missing}`],
      [['gc', '--dry-run'], `eti: --workspace: no folder ${missing}`],
      [['audit'], `eti: ${path.join(missing, 'sources.yaml')}: no such file`],
    ];
    for (const [cmd, first] of cases) {
      const r = await eti([...cmd, '--workspace', missing]);
      expect(r.code, cmd.join(' ')).toBe(2);
      expect(r.first, cmd.join(' ')).toBe(first);
      expect(existsSync(missing), cmd.join(' ')).toBe(false);
    }
  });

  it('naming a folder that is not a workspace: exit 2, no .eti/ made in it', async () => {
    const dir = await tmp('eti-notws-');
    const r = await eti(['review', 'list', '-w', dir]);
    expect(r.code).toBe(2);
    expect(r.first).toBe(`eti: ${dir}: not an eti workspace (no sources.yaml, no .eti/)`);
    expect(existsSync(path.join(dir, '.eti'))).toBe(false);
  });
});

describe('publish with nothing approved', () => {
  it('refuses with exit 1, writes no bundle and leaves LATEST as it was', async () => {
    const ws = await minimalWorkspace();
    await mkdir(path.join(ws, 'output'));
    await writeFile(path.join(ws, 'output', 'LATEST'), '20261101-abc\n');
    const r = await eti(['publish', '-w', ws]);
    expect(r.code).toBe(1);
    expect(r.first).toBe(
      `eti: nothing to publish: nothing approved yet in ${ws} (no pages, no topic pages); no bundle written, ${path.relative(os.tmpdir(), path.join(ws, 'output', 'LATEST'))} left as it was`,
    );
    expect(r.err).toMatch(/\nhint: Approve items first/);
    expect(await readFile(path.join(ws, 'output', 'LATEST'), 'utf8')).toBe('20261101-abc\n');
    const again = await eti(['publish', '-w', ws, '--out', path.join(ws, 'elsewhere')]);
    expect(again.code).toBe(1);
    expect(existsSync(path.join(ws, 'elsewhere'))).toBe(false);
  });
});

describe('sources.yaml errors', () => {
  async function withConfig(text: string): Promise<{ ws: string; file: string }> {
    const ws = await tmp('eti-cfg-');
    const file = path.join(ws, 'sources.yaml');
    await writeFile(file, text);
    return { ws, file };
  }

  it('a syntax error on line 5 is reported on line 5 (an unclosed quote is found at the end of the file)', async () => {
    const { ws, file } = await withConfig(
      `version: 1\ncontact: a@b.no\nsources:\n  - id: nav\n    name: "NAV\n    owner: NAV\n    start_urls: ['https://www.nav.no/']\n    tags: []\n`,
    );
    const r = await eti(['crawl', '-w', ws]);
    expect(r.code).toBe(2);
    expect(r.first).toMatch(new RegExp(`^eti: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5 Missing closing "quote`));
    const flow = await withConfig(
      `version: 1\ncontact: a@b.no\nsources:\n  - id: nav\n    start_urls: ['https://www.nav.no/'\n    name: NAV\n    owner: NAV\n`,
    );
    const f = await eti(['crawl', '-w', flow.ws]);
    expect(f.code).toBe(2);
    expect(f.first).toMatch(/sources\.yaml:5 /);
  });

  it('a second error is an error line of its own, not "hint:"; unknown fields get "did you mean"', async () => {
    const { ws, file } = await withConfig(`version: 1\ncontact: a@b.no\nsources:\n${SOURCE}    rendr: browser\n    max_depht: 2\n`);
    const r = await eti(['crawl', '-w', ws]);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toBe(`eti: ${file}:8 sources[0].rendr: unknown field "rendr" (did you mean "render"?) (and 1 more)`);
    expect(lines[1]).toBe(`eti: ${file}:9 sources[0].max_depht: unknown field "max_depht" (did you mean "max_depth"?)`);
    expect(lines.slice(2)).toEqual(['hint: Every field and value: README "sources.yaml", or the JSON Schema "eti schema" prints.']);
    const json = await eti(['crawl', '--json', '-w', ws]);
    expect(JSON.parse(json.out)).toMatchObject({
      type: 'error',
      exitCode: 2,
      details: [`${file}:9 sources[0].max_depht: unknown field "max_depht" (did you mean "max_depth"?)`],
    });
    const top = await withConfig(`version: 1\ncontatc: a@b.no\nsources:\n${SOURCE}`);
    const t = await eti(['crawl', '-w', top.ws]);
    expect(t.err).toContain('unknown field "contatc" (did you mean "contact"?)');
    const far = await withConfig(`version: 1\ncontact: a@b.no\nzzzzzz: 1\nsources:\n${SOURCE}`);
    const z = await eti(['crawl', '-w', far.ws]);
    expect(z.first).toMatch(/unknown field "zzzzzz"$/);
  });
});

describe('commands and ids', () => {
  it('an unknown subcommand says which was meant (exit 2)', async () => {
    const r = await eti(['review', 'aprove', 'abcd1234']);
    expect(r.code).toBe(2);
    expect(r.first).toBe('eti: unknown command "review aprove" (did you mean "review approve"?)');
    const g = await eti(['-w', '/tmp', 'browser', 'instal']);
    expect(g.first).toBe('eti: unknown command "browser instal" (did you mean "browser install"?)');
    const top = await eti(['crawll']);
    expect(top.code).toBe(2);
    expect(top.err).toMatch(/Did you mean crawl\?/);
  });

  it('an id prefix shorter than 4 characters names the minimum (exit 2)', async () => {
    const ws = await minimalWorkspace();
    for (const id of ['ab', 'abc']) {
      const r = await eti(['review', 'show', id, '-w', ws]);
      expect(r.code).toBe(2);
      expect(r.first).toBe(`eti: review item id "${id}" is too short: give the id or at least its first 4 characters`);
    }
    const four = await eti(['review', 'approve', 'abcd', '--as', 'Kari', '-w', ws]);
    expect(four.code).toBe(2);
    expect(four.first).toBe('eti: no review item "abcd"');
  });
});

describe('a workspace without prompts/', () => {
  it('summarize says where the templates are (exit 2)', async () => {
    const ws = await tmp('eti-noprompts-');
    await writeFile(path.join(ws, 'sources.yaml'), `version: 1\ncontact: a@b.no\nsources:\n${SOURCE}`);
    const r = await eti(['summarize', '-w', ws]);
    expect(r.code).toBe(2);
    expect(r.first).toBe(`eti: ${path.join(ws, 'prompts')}: no prompts folder`);
    expect(r.err.split('\n')[1]).toMatch(
      /^hint: Copy the package's templates: cp -r ".*\/prompts" ".*\/prompts" \(or make a workspace with "eti init DIR"\)\.$/,
    );
  });
});

describe('the provider', () => {
  it('a key in the environment does not switch to the paid provider; it says so', async () => {
    const ws = await minimalWorkspace();
    // A base URL nobody listens on: a request to it would fail the run.
    const env = { ANTHROPIC_API_KEY: 'sk-ant-never-used', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
    const r = await eti(['summarize', '-w', ws], env);
    expect(r.code, r.err).toBe(0);
    expect(r.first).toBe(
      'warning: ANTHROPIC_API_KEY is set but not used: the offline provider writes these summaries (pass --provider anthropic, or set summarize.provider: anthropic in sources.yaml)',
    );
    expect(r.out + r.err).not.toContain('sk-ant-never-used');
    const explicit = await eti(['summarize', '--provider', 'offline', '-w', ws], env);
    expect(explicit.err).toBe('');
  });
});
