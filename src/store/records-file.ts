import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Pieces are joined into chunks of about this many characters before they are written. */
const CHUNK_CHARS = 1 << 20;

/**
 * One JSON file of the form `{ ...head, [key]: { id: record, … } }` (a source's pages, or its
 * review items), written atomically (temp file + rename) and a chunk at a time.
 *
 * `write` takes a snapshot synchronously, but only of the map's entries (references): the records
 * are never changed in place once stored (the Store replaces a record whole), so each is turned
 * into JSON only when its chunk is written. A flush thus holds about one chunk of JSON at a time,
 * not the whole file as one string or as pieces (which, for a shard of 10,000 pages and their
 * summaries, was the whole run's peak memory). Writes to one file are queued, never interleaved.
 */
export class RecordsFile<R> {
  readonly file: string;
  readonly #temp: string;
  #queue: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  /** The parsed file; null when it does not exist. */
  async read<T>(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  write(head: Record<string, unknown>, key: string, records: Readonly<Record<string, R>>): Promise<void> {
    const entries = Object.entries(records);
    const prefix = `${JSON.stringify(head).slice(0, -1)}${Object.keys(head).length > 0 ? ',' : ''}${JSON.stringify(key)}:{`;
    const next = this.#queue.then(async () => {
      try {
        await writeFile(this.#temp, pieces(prefix, entries));
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

function* pieces<R>(prefix: string, entries: readonly (readonly [string, R])[]): Generator<string> {
  let buf: string[] = [prefix];
  let size = prefix.length;
  let sep = '';
  for (const [k, r] of entries) {
    if (r === undefined) continue;
    const s = `${sep}${JSON.stringify(k)}:${JSON.stringify(r)}`;
    sep = ',';
    buf.push(s);
    size += s.length;
    if (size >= CHUNK_CHARS) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  buf.push('}}');
  yield buf.join('');
}
