import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/** Pieces are joined into chunks of about this many characters before they are written. */
const CHUNK_CHARS = 1 << 20;

/**
 * `JSON.stringify(value)` as pieces whose concatenation is exactly that string. Plain objects are
 * taken apart `depth` levels down (a shard's `pages`, `summaries` and `reviews` maps entry by
 * entry); everything below is stringified whole. Synchronous, so the pieces are one consistent
 * snapshot of `value`.
 *
 * Why: one `JSON.stringify` of a shard of 10,000 pages and their summaries is a single string of
 * ~100 MB, stored two bytes a character as soon as one character anywhere is outside Latin-1 (a
 * "–" in a summary), and then copied once more into a UTF-8 buffer to be written: the whole
 * run's peak memory came from that one moment. Pieces stay one byte a character where they can,
 * and are encoded a chunk at a time.
 */
export function jsonPieces(value: unknown, depth = 2): string[] {
  const out: string[] = [];
  const isPlain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
  const put = (v: unknown, d: number, prefix: string): void => {
    if (d <= 0 || !isPlain(v)) {
      out.push(prefix + JSON.stringify(v));
      return;
    }
    out.push(`${prefix}{`);
    let sep = '';
    for (const [k, item] of Object.entries(v)) {
      // What JSON.stringify leaves out of an object.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      put(item, d - 1, `${sep}${JSON.stringify(k)}:`);
      sep = ',';
    }
    out.push('}');
  };
  put(value, depth, '');
  return out;
}

/** Pieces joined into chunks of about `CHUNK_CHARS`: few writes, no one huge string. */
function* chunks(pieces: readonly string[]): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const p of pieces) {
    buf.push(p);
    size += p.length;
    if (size >= CHUNK_CHARS) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join('');
}

/**
 * A lowdb adapter for one JSON file (compact JSON, as `JSON.stringify` writes it), written
 * atomically: into `.<name>.tmp` beside it, then renamed over it, so a process killed at any
 * moment leaves the file as it was or as last written (a torn temp file is overwritten next
 * time). Writes to one file are queued, never interleaved. See `jsonPieces` for why it does
 * not write one string.
 */
export class JsonFile<T> implements Adapter<T> {
  readonly file: string;
  readonly #temp: string;
  #queue: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  write(data: T): Promise<void> {
    // Taken apart now, synchronously: the data may change while earlier writes finish.
    const pieces = jsonPieces(data);
    const next = this.#queue.then(async () => {
      try {
        await writeFile(this.#temp, chunks(pieces));
        await rename(this.#temp, this.file);
      } catch (err) {
        await unlink(this.#temp).catch(() => undefined);
        throw err;
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
