/**
 * One diff per content pair. The crawl diffs a page's old and new text when it stores the new
 * version; in the same run the review queue (its change class), the summary request, the review
 * list and `eti diff` ask for the same pair again, named by its two content hashes. `diffPair`
 * answers them with the diff already made instead of diffing again. The memo is bounded by the
 * characters its diffs hold (the oldest go first), so a long run costs at most that much memory,
 * and a pair it no longer holds is simply diffed again: the result is the same either way.
 */
import type { Change } from '../types.js';
import { type DiffInput, diffTexts } from './diff.js';

/** Characters of hunks and changed sentences the default memo keeps (about 8 MB at most). */
const DEFAULT_MAX_CHARS = 4_000_000;

export class DiffMemo {
  private readonly entries = new Map<string, { change: Change; chars: number }>();
  private chars = 0;

  constructor(private readonly maxChars = DEFAULT_MAX_CHARS) {}

  /**
   * `diffTexts(input)`, from the memo when the same pair (old hash, new hash) was diffed before.
   * Only pairs of two different texts named by their hashes are kept: the others cost no diff.
   */
  diff(input: DiffInput): Change {
    const { oldText, newText, oldHash, newHash } = input;
    if (oldText === undefined || newText === undefined || oldText === newText || oldHash === undefined || newHash === undefined) {
      return diffTexts(input);
    }
    const key = `${oldHash}>${newHash}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last: the oldest entry is the first to go.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return copyFor(hit.change, input);
    }
    const change = diffTexts(input);
    this.remember(key, change);
    return copyFor(change, input);
  }

  private remember(key: string, change: Change): void {
    const chars = change.hunks.reduce((n, h) => n + h.text.length, 0) + change.changedSentences.reduce((n, s) => n + s.length, 0);
    if (chars > this.maxChars) return;
    this.entries.set(key, { change, chars });
    this.chars += chars;
    for (const [oldest, entry] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= entry.chars;
    }
  }
}

/** A copy for one caller (its own URL and source), so that no caller can change what another gets. */
function copyFor(change: Change, input: DiffInput): Change {
  return {
    ...change,
    url: input.url,
    sourceId: input.sourceId,
    hunks: change.hunks.map((h) => ({ ...h })),
    stats: { ...change.stats },
    changedSentences: [...change.changedSentences],
  };
}

/** The process's memo: the crawl, the review queue, the summary request and the review steps share it. */
const shared = new DiffMemo();

/** The diff of one content pair, made once per process (see `DiffMemo`); the same result as `diffTexts`. */
export function diffPair(input: DiffInput): Change {
  return shared.diff(input);
}
