import { diffArrays } from 'diff';
import type { Change, ChangeKind, Hunk } from '../types.js';

/** Words of unchanged text kept on each side of a change, for context. */
const CONTEXT_WORDS = 12;

/** Word diffs run so far in this process (see `diffRuns`). */
let runs = 0;

/** How many word diffs this process has run: one per content pair is the aim (see memo.ts); tests read it. */
export function diffRuns(): number {
  return runs;
}

export interface DiffInput {
  url: string;
  sourceId: string;
  /** The text compared against; undefined when the page is new. */
  oldText?: string;
  oldHash?: string;
  /** The current text; undefined when the page is removed. */
  newText?: string;
  newHash?: string;
  /** The page's own date stamps changed (metadata only). */
  isDateOnly?: boolean;
}

/**
 * Compare two versions of a page's extracted text. Pure.
 *
 * Lines are aligned first (the extracted text has one block — paragraph, heading, list item,
 * table row — per line), then each run of replaced lines is diffed word by word. This keeps
 * the cost near-linear for the usual small edit in a long page, and hunks readable.
 */
export function diffTexts(input: DiffInput): Change {
  const base = { url: input.url, sourceId: input.sourceId, isDateOnly: false, changedSentences: [] as string[] };
  const hashes = {
    ...(input.oldHash === undefined ? {} : { fromHash: input.oldHash }),
    ...(input.newHash === undefined ? {} : { toHash: input.newHash }),
  };
  if (input.newText === undefined) {
    return { ...base, ...hashes, kind: 'removed', hunks: [], stats: { added: 0, removed: countWords(input.oldText ?? '') } };
  }
  if (input.oldText === undefined) {
    return { ...base, ...hashes, kind: 'new', hunks: [], stats: { added: countWords(input.newText), removed: 0 } };
  }
  if (input.oldText === input.newText) {
    return { ...base, ...hashes, kind: 'unchanged', hunks: [], stats: { added: 0, removed: 0 }, isDateOnly: input.isDateOnly ?? false };
  }

  runs++;
  // Every line-level run carries its own line breaks, so the hunks concatenate to the texts.
  const raw: Hunk[] = [];
  const changedSentences: string[] = [];
  const parts = diffArrays(input.oldText.split('\n'), input.newText.split('\n'));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const text = part.value.map((l) => `${l}\n`).join('');
    if (!part.added && !part.removed) {
      raw.push({ op: 'eq', text });
      continue;
    }
    // A removed run followed by an added run is a replacement: diff it word by word.
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      i++;
      changedSentences.push(...next.value);
      for (const w of diffArrays(tokenize(part.value.join('\n')), tokenize(next.value.join('\n')))) {
        raw.push({ op: w.added ? 'add' : w.removed ? 'del' : 'eq', text: w.value.join('') });
      }
      raw.push({ op: 'eq', text: '\n' });
      continue;
    }
    if (part.added) changedSentences.push(...part.value);
    raw.push({ op: part.added ? 'add' : 'del', text });
  }

  const merged = mergeAdjacent(raw);
  const tail = merged[merged.length - 1];
  if (tail?.op === 'eq') tail.text = tail.text.replace(/\n$/, '');
  const hunks = withContext(merged.filter((h) => h.text !== ''));
  const stats = { added: 0, removed: 0 };
  for (const h of hunks) {
    if (h.op === 'add') stats.added += countWords(h.text);
    else if (h.op === 'del') stats.removed += countWords(h.text);
  }
  const kind: ChangeKind = stats.added === 0 && stats.removed === 0 ? 'unchanged' : 'changed';
  return { ...base, ...hashes, kind, hunks, stats, changedSentences: changedSentences.filter((s) => s.trim() !== '') };
}

function mergeAdjacent(hunks: Hunk[]): Hunk[] {
  const out: Hunk[] = [];
  for (const h of hunks) {
    if (h.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.op === h.op) last.text += h.text;
    else out.push({ ...h });
  }
  return out;
}

/** Shorten unchanged runs to a few words of context on each side of a change. */
function withContext(hunks: Hunk[]): Hunk[] {
  return hunks.map((h, i) => {
    if (h.op !== 'eq') return h;
    const words = h.text.split(/(\s+)/);
    const n = Math.ceil(words.length / 2);
    const isFirst = i === 0;
    const isLast = i === hunks.length - 1;
    const keep = CONTEXT_WORDS;
    if (n <= (isFirst || isLast ? keep : keep * 2)) return h;
    const head = isFirst ? '' : words.slice(0, keep * 2).join('');
    const tail = isLast ? '' : words.slice(-keep * 2).join('');
    return { op: 'eq', text: `${head}${head ? ' … ' : '… '}${tail}`.trimEnd() };
  });
}

/**
 * Words and the space between them, with Norwegian numbers kept whole: "8 232" and
 * "1 047,50" are one token, so a changed amount shows as one replaced figure.
 */
const TOKEN = /\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?|\S+|\s+/g;
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Count words (runs of non-space). */
export function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}
