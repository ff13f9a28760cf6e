import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, isHolderAlive, procStat } from '../../src/store/lock.js';

const hasProc = existsSync('/proc/self/stat');

/**
 * A zombie: `sh` starts a child, then execs into `sleep`, which never reaps it. The child exits
 * only once its parent has become `sleep` (it watches /proc/<parent>/comm): a child that exited
 * before the exec could be reaped by the shell itself, which made this test fail now and then.
 */
async function withZombie(fn: (pid: number) => Promise<void>): Promise<void> {
  const script = 'p=$$; (while [ "$(cat /proc/$p/comm)" != sleep ]; do sleep 0.01; done) & echo $!; exec sleep 60';
  const parent = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number((await new Promise<Buffer>((r) => parent.stdout.once('data', r))).toString().trim());
    // Wait (by polling /proc) until the child has exited and is a zombie: on a busy machine the
    // shell's child may take a while to run, so the bound is generous (20 s), not a timing claim.
    for (let i = 0; i < 4000 && procStat(pid)?.state !== 'Z'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(procStat(pid)?.state).toBe('Z');
    await fn(pid);
  } finally {
    parent.kill('SIGKILL');
  }
}

describe.skipIf(!hasProc)('the workspace lock checks that its holder is alive and the same process', () => {
  it('reads state and start time from /proc/<pid>/stat, with a command name holding spaces and ")"', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-proc-'));
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, '42')));
    await writeFile(path.join(dir, '42', 'stat'), '42 (a b) c) S 1 1 1 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 987654 100 1');
    expect(procStat(42, dir)).toEqual({ state: 'S', start: '987654' });
    expect(procStat(43, dir)).toBeUndefined();
  });

  it('takes over a lock whose holder is a zombie (a killed crawl not yet reaped)', async () => {
    await withZombie(async (pid) => {
      expect(isHolderAlive({ pid })).toBe(false);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-lock-'));
      await writeFile(path.join(dir, 'lock'), JSON.stringify({ pid, host: os.hostname(), command: 'crawl', startedAt: 'x' }));
      const release = await acquireLock(dir, 'crawl', new Date('2026-03-01T00:00:00Z'));
      expect(JSON.parse(await readFile(path.join(dir, 'lock'), 'utf8')).pid).toBe(process.pid);
      await release();
    });
  });

  it('takes over a lock whose pid now belongs to another process (start time differs), and not one whose holder lives', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eti-lock-'));
    const mine = procStat(process.pid)!.start;
    expect(isHolderAlive({ pid: process.pid, procStart: mine })).toBe(true);
    expect(isHolderAlive({ pid: process.pid, procStart: String(Number(mine) + 1) })).toBe(false);
    await writeFile(
      path.join(dir, 'lock'),
      JSON.stringify({ pid: process.pid, host: os.hostname(), command: 'crawl', startedAt: 'x', procStart: String(Number(mine) + 1) }),
    );
    const release = await acquireLock(dir, 'crawl', new Date('2026-03-01T00:00:00Z'));
    const held = JSON.parse(await readFile(path.join(dir, 'lock'), 'utf8')) as { procStart?: string };
    expect(held.procStart).toBe(mine);
    // The same holder, alive: refused (exit 5).
    const err = await acquireLock(dir, 'crawl', new Date()).catch((e: unknown) => e);
    expect((err as { exitCode: number }).exitCode).toBe(5);
    await release();
  });
});
