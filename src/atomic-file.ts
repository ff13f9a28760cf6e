/**
 * Writing a file or a folder so that a process killed at any moment leaves either the old one or
 * the new one, never a torn one: the new content goes to a temporary name beside the target, then
 * is renamed over it (a rename within one file system is atomic). The temporary name carries the
 * process id and random bytes, so two processes never share one; a failed write removes it.
 * The store's own files (store/json-file.ts, records-file.ts, summary-log.ts, blobs.ts) stream
 * their writes in chunks and keep their own temporary files; everything else writes through here.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A temporary name beside `target`, unique to this process and call. */
export function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Write `data` to `file` atomically, making its folder first. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempNameFor(file);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Put the finished folder `staged` in place of `dir`. The old folder is first renamed aside, so
 * the gap in which `dir` does not exist is one rename long (not the time a recursive delete takes),
 * and a kill in it leaves both folders on disk; the old one is deleted last.
 */
export async function replaceDir(staged: string, dir: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const aside = tempNameFor(dir);
  let hasOld = true;
  try {
    await rename(dir, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    hasOld = false;
  }
  await rename(staged, dir);
  if (hasOld) await rm(aside, { recursive: true, force: true });
}
