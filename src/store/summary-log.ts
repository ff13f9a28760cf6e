import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CannotRunError } from '../errors.js';
import type { Summary } from '../pipeline/types.js';

/** Lines are joined into chunks of about this many bytes before they are written. */
const CHUNK_BYTES = 1 << 20;

/** Where a summary's line is in the file (bytes, without its newline). */
interface LineRef {
  offset: number;
  length: number;
}

/**
 * A source's summaries: `index/<source>.summaries.jsonl`, one summary per line, the last line of an
 * id winning. A summary is never changed once stored (its id is its cache key), so a flush appends
 * only the summaries made since the last one: what a flush costs no longer grows with what the
 * store holds. gc and migrations rewrite the file whole, atomically (temp file + rename).
 *
 * Only where each line is stays in memory (an id and two numbers), not the summaries: they are read
 * from the file when asked for, a fresh copy each time. At 10,000 pages that is the difference
 * between ~150 MB of summary objects held for the whole run and ~1 MB.
 *
 * A process killed mid-append leaves a torn last line: it is skipped when read (that summary is
 * made again, and no review item refers to it yet: the items file is written after this one) and
 * the file is rewritten whole at the next flush, so the next append never follows a torn line.
 */
export class SummaryLog {
  readonly file: string;
  readonly #temp: string;
  #refs = new Map<string, LineRef>();
  /** Bytes of complete lines: where the next append starts. */
  #size = 0;
  /** A rewrite in progress: reads wait for it, so an offset is never read in the wrong file. */
  #rewriting: Promise<void> | undefined;

  constructor(file: string) {
    this.file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  /** Ids of the summaries in the file. */
  ids(): IterableIterator<string> {
    return this.#refs.keys();
  }

  has(id: string): boolean {
    return this.#refs.has(id);
  }

  /**
   * Read where each line is (a chunk at a time, never the whole file as one string). Resolves to
   * whether the file needs a rewrite: a torn last line, or an id on more than one line.
   */
  async load(): Promise<boolean> {
    let fh: FileHandle;
    try {
      fh = await open(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    let needsRewrite = false;
    try {
      let pending = Buffer.alloc(0);
      let start = 0; // file offset of `pending`
      let lineNo = 0;
      const buf = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, start + pending.length);
        if (bytesRead === 0) break;
        pending = Buffer.concat([pending, buf.subarray(0, bytesRead)]);
        let from = 0;
        for (let nl = pending.indexOf(10, from); nl >= 0; nl = pending.indexOf(10, from)) {
          lineNo++;
          if (nl > from) {
            const id = this.#idOf(pending.toString('utf8', from, nl), lineNo);
            if (this.#refs.has(id)) needsRewrite = true;
            this.#refs.set(id, { offset: start + from, length: nl - from });
          }
          from = nl + 1;
        }
        start += from;
        pending = Buffer.from(pending.subarray(from));
      }
      this.#size = start;
      if (pending.length > 0) needsRewrite = true; // torn last line
    } finally {
      await fh.close();
    }
    return needsRewrite;
  }

  #idOf(line: string, lineNo: number): string {
    try {
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id !== 'string') throw new Error('no "id"');
      return id;
    } catch (err) {
      throw new CannotRunError(
        'store-corrupt',
        `${this.file}:${lineNo}: cannot read a stored summary (${err instanceof Error ? err.message : String(err)})`,
        'Delete the line (that summary is made again), or restore the file from a backup.',
        err,
      );
    }
  }

  /** A stored summary, read from the file (a fresh copy); undefined when there is none. */
  async get(id: string): Promise<Summary | undefined> {
    while (this.#rewriting) await this.#rewriting;
    const ref = this.#refs.get(id);
    if (!ref) return undefined;
    const fh = await open(this.file, 'r');
    try {
      const buf = Buffer.alloc(ref.length);
      await fh.read(buf, 0, ref.length, ref.offset);
      return JSON.parse(buf.toString('utf8')) as Summary;
    } finally {
      await fh.close();
    }
  }

  /** Every summary in the file, by id, in file order: one read of the whole file (audit, gc). */
  async all(): Promise<Map<string, Summary>> {
    while (this.#rewriting) await this.#rewriting;
    const out = new Map<string, Summary>();
    if (this.#refs.size === 0) return out;
    const buf = await readFile(this.file);
    for (const [id, ref] of [...this.#refs]) {
      // A line appended after the read: read it on its own.
      const s =
        ref.offset + ref.length <= buf.length
          ? (JSON.parse(buf.toString('utf8', ref.offset, ref.offset + ref.length)) as Summary)
          : await this.get(id);
      if (s) out.set(id, s);
    }
    return out;
  }

  /** Append summaries (one line each). */
  async append(summaries: readonly Summary[]): Promise<void> {
    if (summaries.length === 0) return;
    const fh = await open(this.file, 'a');
    try {
      for (const { bytes, refs } of encode(summaries, this.#size)) {
        await fh.write(bytes);
        this.#size += bytes.length;
        for (const [id, ref] of refs) this.#refs.set(id, ref);
      }
    } finally {
      await fh.close();
    }
  }

  /** Write the file whole, atomically: `keep` ids from the file (read back), then `add`. */
  async rewrite(keep: readonly string[], add: readonly Summary[]): Promise<void> {
    while (this.#rewriting) await this.#rewriting;
    const old = this.#refs;
    const run = (async () => {
      const refs = new Map<string, LineRef>();
      let size = 0;
      const src = keep.length > 0 ? await open(this.file, 'r') : undefined;
      const out = await open(this.#temp, 'w');
      try {
        const kept = (async function* (): AsyncGenerator<Summary> {
          for (const id of keep) {
            const ref = old.get(id);
            if (!ref || !src) continue;
            const buf = Buffer.alloc(ref.length);
            await src.read(buf, 0, ref.length, ref.offset);
            yield JSON.parse(buf.toString('utf8')) as Summary;
          }
          yield* add;
        })();
        let batch: Summary[] = [];
        const write = async (): Promise<void> => {
          for (const chunk of encode(batch, size)) {
            await out.write(chunk.bytes);
            size += chunk.bytes.length;
            for (const [id, ref] of chunk.refs) refs.set(id, ref);
          }
          batch = [];
        };
        for await (const s of kept) {
          batch.push(s);
          if (batch.length >= 64) await write();
        }
        await write();
      } catch (err) {
        await out.close().catch(() => undefined);
        await unlink(this.#temp).catch(() => undefined);
        throw err;
      } finally {
        await src?.close();
      }
      await out.close();
      await rename(this.#temp, this.file);
      this.#refs = refs;
      this.#size = size;
    })();
    this.#rewriting = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      await run;
    } finally {
      this.#rewriting = undefined;
    }
  }
}

/** Summaries as lines, in chunks of about `CHUNK_BYTES`, with where each line will be. */
function* encode(summaries: readonly Summary[], start: number): Generator<{ bytes: Buffer; refs: [string, LineRef][] }> {
  let parts: Buffer[] = [];
  let refs: [string, LineRef][] = [];
  let size = 0;
  let at = start;
  for (const s of summaries) {
    const line = Buffer.from(`${JSON.stringify(s)}\n`, 'utf8');
    refs.push([s.id, { offset: at, length: line.length - 1 }]);
    parts.push(line);
    size += line.length;
    at += line.length;
    if (size >= CHUNK_BYTES) {
      yield { bytes: Buffer.concat(parts), refs };
      parts = [];
      refs = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield { bytes: Buffer.concat(parts), refs };
}
