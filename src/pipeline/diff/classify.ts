import type { Blobs } from '../../store/interface.js';
import type { VersionRecord } from '../../store/records.js';
import { diffPair } from './memo.js';
import { maskNoise, type NoiseRules } from './noise.js';
import type { ChangeClass, Hunk } from '../types.js';

/**
 * How much a change matters to a family (see `ChangeClass`). Pure and cheap: one word diff.
 *
 * - material: a figure changed (amount, rate, age, date, percentage, § or form number, phone —
 *   any token with a digit), a word that carries eligibility, a deadline or a contact detail
 *   changed ("ikke", "frist", "vilkår", "e-post" …), or a section heading was added or removed;
 * - cosmetic: the texts are equal once case, punctuation and spacing are ignored;
 * - wording: everything else.
 */
export interface Classification {
  changeClass: ChangeClass;
  /** Short English reasons for the editor, most telling first; at most five. */
  reasons: string[];
}

/** Words whose change can alter who is eligible, by when, or whom to contact. Lower case, bokmål and nynorsk. */
const MATERIAL_WORDS = new Set([
  'ikke',
  'ikkje',
  'ingen',
  'kun',
  'bare',
  'berre',
  'må',
  'skal',
  'kan',
  'bør',
  'unntatt',
  'unntak',
  'minst',
  'høyst',
  'maks',
  'maksimalt',
  'inntil',
  'over',
  'under',
  'før',
  'etter',
  'innen',
  'innan',
  'senest',
  'seinast',
  'fra',
  'frå',
  'til',
  'frist',
  'fristen',
  'søknadsfrist',
  'søknadsfristen',
  'vilkår',
  'vilkåret',
  'vilkårene',
  'krav',
  'kravet',
  'kravene',
  'rett',
  'retten',
  'alder',
  'alderen',
  'år',
  'måneder',
  'månader',
  'uker',
  'veker',
  'dager',
  'dagar',
  'timer',
  'gang',
  'ganger',
  'kroner',
  'kr',
  'nok',
  'prosent',
  'g',
  'telefon',
  'tlf',
  'e-post',
  'epost',
  'adresse',
  'postadresse',
  'besøksadresse',
  'åpningstid',
  'åpningstider',
  'opningstid',
  'kontakt',
  'søknad',
  'søke',
  'søk',
  'vedtak',
  'klage',
  'klagefrist',
  'egenandel',
  'eigendel',
  'gratis',
  'betale',
  'refusjon',
  'diagnose',
  'legeerklæring',
  'dokumentasjon',
]);

export function classifyChange(input: {
  kind: 'new' | 'changed' | 'removed';
  oldText?: string;
  newText?: string;
  /** Markdown of both versions, for section headings; optional. */
  oldMarkdown?: string;
  newMarkdown?: string;
  /** Content hashes of exactly these texts, when known: the pair's diff is then made once (see memo.ts). */
  oldHash?: string;
  newHash?: string;
}): Classification {
  if (input.kind === 'new') return { changeClass: 'material', reasons: ['new page'] };
  if (input.kind === 'removed') return { changeClass: 'material', reasons: ['page removed'] };
  const oldText = input.oldText ?? '';
  const newText = input.newText ?? '';
  const reasons: string[] = [];

  // Sections added or removed.
  if (input.oldMarkdown !== undefined && input.newMarkdown !== undefined) {
    const before = headings(input.oldMarkdown);
    const after = headings(input.newMarkdown);
    for (const h of after) if (!before.has(h)) reasons.push(`section added: ${h}`);
    for (const h of before) if (!after.has(h)) reasons.push(`section removed: ${h}`);
  }

  const hashes = input.oldHash !== undefined && input.newHash !== undefined ? { oldHash: input.oldHash, newHash: input.newHash } : {};
  const change = diffPair({ url: '', sourceId: '', oldText, newText, ...hashes });
  const pairs = replacements(change.hunks);
  for (const { del, add } of pairs) {
    const figuresOld = figures(del);
    const figuresNew = figures(add);
    if (figuresOld.join('|') !== figuresNew.join('|')) {
      reasons.push(
        figuresOld.length && figuresNew.length
          ? `figure ${figuresOld.join(', ')} → ${figuresNew.join(', ')}`
          : figuresNew.length
            ? `figure added: ${figuresNew.join(', ')}`
            : `figure removed: ${figuresOld.join(', ')}`,
      );
      continue;
    }
    const wordsOld = words(del);
    const wordsNew = words(add);
    const key = [...wordsOld.filter((w) => !wordsNew.includes(w)), ...wordsNew.filter((w) => !wordsOld.includes(w))].find(
      (w) => MATERIAL_WORDS.has(w) || /@|^https?:|^www\./.test(w),
    );
    if (key !== undefined) reasons.push(`${wordsOld.includes(key) ? 'removed' : 'added'} "${key}"`);
  }
  if (reasons.length > 0) return { changeClass: 'material', reasons: unique(reasons).slice(0, 5) };
  if (fold(oldText) === fold(newText)) return { changeClass: 'cosmetic', reasons: ['only case, punctuation or spacing changed'] };
  return { changeClass: 'wording', reasons: [`${change.stats.added} words added, ${change.stats.removed} removed`] };
}

/**
 * The class of a stored page's change from `baseHash` to `current`, read from the blob store with
 * noise masked (so a counter does not make a change material). The review queue and the store
 * migration both use it. Without the texts (a pruned store) nothing can be ruled out: material.
 */
export async function classifyStored(
  blobs: Pick<Blobs, 'get'>,
  versions: readonly VersionRecord[],
  item: { kind: 'new' | 'changed' | 'removed'; contentHash: string; baseHash?: string | undefined },
  rules: NoiseRules,
): Promise<Classification> {
  const { kind, contentHash, baseHash } = item;
  if (kind !== 'changed' || !baseHash) return classifyChange({ kind: kind === 'removed' ? 'removed' : 'new' });
  const base = versions.find((v) => v.contentHash === baseHash);
  const current = versions.find((v) => v.contentHash === contentHash);
  const [oldText, newText, oldMarkdown, newMarkdown] = await Promise.all([
    blobs.get(baseHash),
    blobs.get(contentHash),
    base ? blobs.get(base.markdownHash) : undefined,
    current ? blobs.get(current.markdownHash) : undefined,
  ]);
  if (oldText === undefined || newText === undefined) return { changeClass: 'material', reasons: ['previous text not in the store'] };
  const oldMasked = maskNoise(oldText, rules, base?.ignoredLines).join('\n');
  const newMasked = maskNoise(newText, rules, current?.ignoredLines).join('\n');
  return classifyChange({
    kind: 'changed',
    oldText: oldMasked,
    newText: newMasked,
    ...(oldMarkdown !== undefined && newMarkdown !== undefined ? { oldMarkdown, newMarkdown } : {}),
    // Nothing masked: the pair is the stored one, whose diff the crawl made (noise masked, it is another pair).
    ...(oldMasked === oldText && newMasked === newText ? { oldHash: baseHash, newHash: contentHash } : {}),
  });
}

/** Rank for queues: material first. */
export const CLASS_RANK: Record<ChangeClass, number> = { material: 0, wording: 1, cosmetic: 2 };

/** Each removed run with the added run that replaced it (either may be empty). */
function replacements(hunks: readonly Hunk[]): { del: string; add: string }[] {
  const out: { del: string; add: string }[] = [];
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i]!;
    if (h.op === 'eq') continue;
    if (h.op === 'del' && hunks[i + 1]?.op === 'add') {
      out.push({ del: h.text, add: hunks[i + 1]!.text });
      i++;
    } else if (h.op === 'del') out.push({ del: h.text, add: '' });
    else out.push({ del: '', add: h.text });
  }
  return out;
}

/** Figures in a run of words, normalised ("8 232" = "8.232" = "8232"), in order. */
function figures(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?|\d+(?:[.,:/-]\d+)*/g)) out.push(m[0].replace(/[\s\u00a0]/g, ' '));
  return out;
}

function words(s: string): string[] {
  return (s.toLowerCase().match(/[\p{L}\p{N}@.:/-]+/gu) ?? []).map((w) => w.replace(/[.:]+$/, '')).filter(Boolean);
}

function headings(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const line of markdown.split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(m[1]!.replace(/\\(.)/g, '$1').trim());
  }
  return out;
}

function fold(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
