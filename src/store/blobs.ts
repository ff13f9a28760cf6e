import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

import { sha256 } from '../hash.js';
import type { BlobSweep, Blobs } from './interface.js';

export { sha256 };

/**
 * Content-addressed gzip blobs: `<dir>/<first two hex>/<sha256>.gz`. Writing is idempotent
 * and atomic (temp file + rename), so a crash leaves at worst an orphan blob, never a torn one.
 * The index only refers to a blob after it is written.
 */
export class BlobStore implements Blobs {
  readonly dir: string;
  /** Hashes known to exist, so a recrawl does not stat unchanged blobs again. */
  readonly #known = new Set<string>();
  /** Fan-out directories made in this process: one mkdir per directory, not per blob. */
  readonly #dirs = new Set<string>();

  constructor(dir: string) {
    this.dir = dir;
  }

  #file(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), `${hash}.gz`);
  }

  /** Store text (or a binary body such as a PDF); returns its sha256 hex. */
  async put(text: string | Uint8Array): Promise<string> {
    const hash = sha256(text);
    if (this.#known.has(hash)) return hash;
    const file = this.#file(hash);
    try {
      await stat(file);
    } catch {
      const dir = path.dirname(file);
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      const gz = await gzipAsync(text, { level: 6 });
      if (!this.#dirs.has(dir)) await mkdir(dir, { recursive: true });
      try {
        await writeFile(tmp, gz);
      } catch (err) {
        // The directory went away under us (removed by hand): make it again, once.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, gz);
      }
      this.#dirs.add(dir);
      await rename(tmp, file);
    }
    this.#known.add(hash);
    return hash;
  }

  /** Read a blob's text; undefined when it does not exist. */
  async get(hash: string): Promise<string | undefined> {
    try {
      return (await gunzipAsync(await readFile(this.#file(hash)))).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Delete every blob `referenced` does not name, and leftover temp files of interrupted writes
   * (with `dryRun`, only count them).
   */
  async sweep(referenced: ReadonlySet<string>, dryRun: boolean): Promise<BlobSweep> {
    const r: BlobSweep = { blobsDeleted: 0, bytesFreed: 0, tempFilesDeleted: 0, blobsKept: 0 };
    let buckets: string[];
    try {
      buckets = await readdir(this.dir);
    } catch {
      return r; // no blobs yet
    }
    for (const bucket of buckets.sort()) {
      let files: string[];
      try {
        files = await readdir(path.join(this.dir, bucket));
      } catch {
        continue;
      }
      for (const f of files) {
        const file = path.join(this.dir, bucket, f);
        const isTemp = f.endsWith('.tmp');
        const hash = f.endsWith('.gz') ? f.slice(0, -3) : undefined;
        if (!isTemp && (hash === undefined || referenced.has(hash))) {
          if (hash !== undefined) r.blobsKept++;
          continue;
        }
        const size = (await stat(file).catch(() => undefined))?.size ?? 0;
        if (isTemp) r.tempFilesDeleted++;
        else r.blobsDeleted++;
        r.bytesFreed += size;
        if (!dryRun) {
          await unlink(file).catch(() => undefined);
          if (hash !== undefined) this.#known.delete(hash);
        }
      }
    }
    return r;
  }
}
