import { appendFile, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CannotRunError } from '../errors.js';
import type { Summary } from '../pipeline/types.js';

/** Lines are joined into chunks of about this many characters before they are written. */
const CHUNK_CHARS = 1 << 20;

function* chunks(lines: Iterable<string>): Generator<string> {
  let buf: string[] = [];
  let size = 0;
  for (const l of lines) {
    buf.push(l);
    size += l.length;
    if (size >= CHUNK_CHARS) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join('');
}

/** What `SummaryLog.read` found. */
export interface SummaryLogContents {
  summaries: Record<string, Summary>;
  /** The file ended in a torn line (a kill mid-append), or repeats ids: rewrite it whole at the next flush. */
  needsRewrite: boolean;
  /** Whether the file exists. */
  exists: boolean;
}

/**
 * A source's summaries: `index/<source>.summaries.jsonl`, one summary per line, the last line of an
 * id winning. A summary is never changed once stored (its id is its cache key), so a flush appends
 * only the summaries made since the last one: what a flush costs no longer grows with what the
 * store already holds. gc and migrations rewrite the file whole, atomically (temp file + rename).
 *
 * A process killed mid-append leaves a torn last line: it is skipped when read (that summary is
 * made again, and no review item refers to it yet: the reviews file is written after this one)
 * and the file is rewritten whole at the next flush, so the next append never follows a torn line.
 */
export class SummaryLog {
  readonly file: string;
  readonly #temp: string;

  constructor(file: string) {
    this.file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  async read(): Promise<SummaryLogContents> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { summaries: {}, needsRewrite: false, exists: false };
      throw err;
    }
    const summaries: Record<string, Summary> = {};
    const lines = text.split('\n');
    // The part after the last newline: empty, or a torn line.
    const tail = lines.pop() ?? '';
    let needsRewrite = tail !== '';
    lines.forEach((line, i) => {
      if (line === '') return;
      let s: Summary;
      try {
        s = JSON.parse(line) as Summary;
      } catch (err) {
        throw new CannotRunError(
          'store-corrupt',
          `${this.file}:${i + 1}: cannot read a stored summary (${err instanceof Error ? err.message : String(err)})`,
          'Delete the line (that summary is made again), or restore the file from a backup.',
          err,
        );
      }
      if (summaries[s.id]) needsRewrite = true;
      summaries[s.id] = s;
    });
    return { summaries, needsRewrite, exists: true };
  }

  /** Append summaries (one line each). */
  async append(summaries: readonly Summary[]): Promise<void> {
    if (summaries.length === 0) return;
    for (const c of chunks(summaries.map((s) => `${JSON.stringify(s)}\n`))) await appendFile(this.file, c);
  }

  /** Write the file whole, atomically. */
  async rewrite(summaries: Iterable<Summary>): Promise<void> {
    const lines = function* () {
      for (const s of summaries) yield `${JSON.stringify(s)}\n`;
    };
    try {
      await writeFile(this.#temp, chunks(lines()));
      await rename(this.#temp, this.file);
    } catch (err) {
      await unlink(this.#temp).catch(() => undefined);
      throw err;
    }
  }
}
