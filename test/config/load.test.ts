import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { configJsonSchema } from '../../src/config/schema.js';
import { ConfigError, ExitCode } from '../../src/errors.js';

const valid = `version: 1
contact: redaksjon@example.org
defaults:
  render: http
  delay_ms: 0
sources:
  - id: nav-satser
    name: NAV satser
    owner: NAV
    start_urls: [https://www.nav.no/satser]
    include: ['^https://www\\.nav\\.no/satser']
  - id: fjordvik
    name: Fjordvik
    owner: Fjordvik kommune
    start_urls: [https://fjordvik.example/avlastning/]
    render: auto
    max_depth: 0
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, 'sources.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('sources.yaml loading', () => {
  it('resolves settings: source over defaults over built-ins', () => {
    const { sources } = parseConfig(valid, 'sources.yaml');
    expect(sources[0]!.render).toBe('http');
    expect(sources[1]!.render).toBe('auto');
    expect(sources[0]!.delay_ms).toBe(0);
    expect(sources[1]!.max_depth).toBe(0);
    expect(sources[0]!.max_depth).toBe(1);
    expect(sources[0]!.allowed_hosts).toEqual(['nav.no', 'www.nav.no']);
    expect(sources[0]!.includeRe[0]!.test('https://www.nav.no/satser/x')).toBe(true);
  });

  it('names line and field for a bad enum value', () => {
    const err = errorOf(valid.replace('render: auto', 'render: chrome'));
    expect(err.message).toBe('sources.yaml:16 sources[1].render: expected "http", "browser" or "auto", got "chrome"');
    expect(err.exitCode).toBe(ExitCode.usage);
  });

  it('rejects unknown keys with the key line', () => {
    const err = errorOf(valid.replace('    max_depth: 0', '    max_depth: 0\n    colour: red'));
    expect(err.message).toBe('sources.yaml:18 sources[1].colour: unknown field "colour"');
  });

  it('reports a missing required field at its parent', () => {
    const err = errorOf(valid.replace('    owner: Fjordvik kommune\n', ''));
    expect(err.message).toMatch(/^sources\.yaml:12 sources\[1\]\.owner: required string is missing$/);
  });

  it('reports YAML syntax errors with a line', () => {
    const err = errorOf('version: 1\nsources:\n  - id: [unclosed\n');
    expect(err.message).toMatch(/^sources\.yaml:\d+ /);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('rejects invalid regexes and duplicate ids', () => {
    expect(errorOf(valid.replace("'^https://www\\.nav\\.no/satser'", "'(unclosed'")).message).toMatch(
      /sources\.yaml:11 sources\[0\]\.include\[0\]: not a valid regular expression/,
    );
    // A noise pattern valid as a plain regex compiles (it once threw with the "u" flag: "\-").
    const ignore = parseConfig(
      valid.replace('    max_depth: 0\n', "    max_depth: 0\n    ignore: ['Sist vist \\- \\d+ ganger']\n"),
      'sources.yaml',
    );
    expect(ignore.sources[1]!.ignoreRe[0]!.test('Sist vist - 12 ganger')).toBe(true);
    expect(errorOf(valid.replace('    max_depth: 0\n', "    max_depth: 0\n    ignore: ['(unclosed']\n")).message).toMatch(
      /sources\.yaml:18 sources\[1\]\.ignore\[0\]: not a valid regular expression/,
    );
    const dup = errorOf(valid.replace('id: fjordvik', 'id: nav-satser'));
    expect(dup.message).toMatch(/sources\[1\]\.id: duplicate id "nav-satser"/);
  });

  it('says which file is missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-cfg-'));
    await expect(loadConfig(path.join(dir, 'sources.yaml'))).rejects.toThrow(/sources\.yaml: no such file/);
    await writeFile(path.join(dir, 'sources.yaml'), valid);
    await expect(loadConfig(path.join(dir, 'sources.yaml'))).resolves.toBeTruthy();
  });

  it('the committed JSON Schema matches the zod schema', async () => {
    const committed = JSON.parse(await readFile(new URL('../../schema/sources.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('the committed sources.yaml is valid', async () => {
    const loaded = await loadConfig(new URL('../../sources.yaml', import.meta.url).pathname);
    expect(loaded.sources.length).toBeGreaterThan(10);
    for (const s of loaded.sources) expect(s.allow_private_network).toBe(false);
  });
});
