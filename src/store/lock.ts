import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CannotRunError } from '../errors.js';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on a workspace's store, held by one writing command at a time.
 * A lock left by a dead process on this host is taken over (stale-lock recovery).
 * Returns the release function; call it in `finally`.
 */
export async function acquireLock(storeDir: string, command: string, now: Date): Promise<() => Promise<void>> {
  await mkdir(storeDir, { recursive: true });
  const file = path.join(storeDir, 'lock');
  const info: LockInfo = { pid: process.pid, host: os.hostname(), command, startedAt: now.toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, JSON.stringify(info), { flag: 'wx' });
      return async () => {
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(await readFile(file, 'utf8')) as LockInfo;
      } catch {
        holder = undefined; // torn or empty lock file: a crash while writing it
      }
      const isStale = holder === undefined || (holder.host === os.hostname() && !isAlive(holder.pid));
      if (!isStale) {
        throw new CannotRunError(
          'locked',
          `${file}: the workspace is in use by "eti ${holder!.command}" (pid ${holder!.pid} on ${holder!.host}, since ${holder!.startedAt})`,
          'Wait for it to finish. If that process is gone, delete the lock file.',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new CannotRunError('locked', `${file}: could not take the workspace lock`);
}
