import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { Io } from '../src/commands/context.js';

function io(): Io & { out: string; err: string } {
  const o = { out: '', err: '' } as Io & { out: string; err: string };
  return Object.assign(o, {
    stdout: (s: string) => void (o.out += s),
    stderr: (s: string) => void (o.err += s),
    env: {},
    cwd: process.cwd(),
    isTTY: false,
  });
}

describe('eti CLI (in-process)', () => {
  it('every command has --help with examples', async () => {
    for (const cmd of ['crawl', 'summarize', 'diff', 'review', 'publish', 'audit', 'run', 'demo', 'schema']) {
      const t = io();
      expect(await main([cmd, '--help'], t)).toBe(0);
      expect(t.out, cmd).toContain('Examples:');
    }
    const t = io();
    expect(await main(['--help'], t)).toBe(0);
    expect(t.out).toContain('Exit codes:');
  });

  it('an unknown command or flag is a usage error (exit 2)', async () => {
    const a = io();
    expect(await main(['crawll'], a)).toBe(2);
    expect(a.err).toMatch(/unknown command 'crawll'/);
    const b = io();
    expect(await main(['crawl', '--nope'], b)).toBe(2);
  });

  it('a missing sources.yaml names the file', async () => {
    const t = io();
    expect(await main(['audit', '--workspace', '/nonexistent/ws'], t)).toBe(2);
    expect(t.err).toMatch(/^eti: \/nonexistent\/ws\/sources\.yaml: no such file\n/);
  });

  it('rejects a bad ETI_NOW with a one-line error', async () => {
    const t = io();
    t.env = { ETI_NOW: 'yesterday' };
    expect(await main(['audit'], t)).toBe(2);
    expect(t.err).toMatch(/ETI_NOW: expected an ISO date-time, got "yesterday"/);
  });
});
