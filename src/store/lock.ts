import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CannotRunError } from '../errors.js';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  /** The holder's start time from /proc/<pid>/stat (clock ticks since boot), where there is a /proc. */
  procStart?: string;
}

/**
 * State and start time of a process from `/proc/<pid>/stat` (fields 3 and 22; the command name in
 * field 2 may hold spaces and parentheses, so fields are counted after its last ")"). Undefined
 * where there is no /proc (macOS, Windows) or no such process.
 */
export function procStat(pid: number, procDir = '/proc'): { state: string; start: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`${procDir}/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const start = fields[19];
  return state && start ? { state, start } : undefined;
}

/**
 * Is the lock's holder still running, and is it the same process that took the lock? A zombie
 * (killed, not yet reaped: state Z or X) is not alive; a live pid whose start time differs from
 * the recorded one is another program that reused the pid. Without /proc: signal 0 only.
 */
export function isHolderAlive(holder: Pick<LockInfo, 'pid' | 'procStart'>, procDir = '/proc'): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const st = procStat(holder.pid, procDir);
  if (!st) return procStat(process.pid, procDir) === undefined; // no /proc here: trust signal 0
  if (st.state === 'Z' || st.state === 'X') return false;
  return holder.procStart === undefined || holder.procStart === st.start;
}

/**
 * An exclusive lock on a workspace's store, held by one writing command at a time.
 * A lock left by a dead process on this host is taken over (stale-lock recovery): dead means no
 * such pid, a zombie, or a pid now used by another process (start time differs, see `isHolderAlive`).
 * Returns the release function; call it in `finally`.
 */
export async function acquireLock(storeDir: string, command: string, now: Date): Promise<() => Promise<void>> {
  await mkdir(storeDir, { recursive: true });
  const file = path.join(storeDir, 'lock');
  const procStart = procStat(process.pid)?.start;
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    command,
    startedAt: now.toISOString(),
    ...(procStart ? { procStart } : {}),
  };
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
      const isStale = holder === undefined || (holder.host === os.hostname() && !isHolderAlive(holder));
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
