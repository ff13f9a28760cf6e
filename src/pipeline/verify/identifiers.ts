/**
 * Identifiers a summary must copy exactly: § references, form numbers, circulars and law ids,
 * phone numbers, e-mail addresses, URLs, site paths and bare domains. Found on the plain lines of
 * `text.ts` (link targets included), compared by canonical form. Pure.
 */
import { normalizeFigure } from '../../llm/norwegian.js';

export type IdentifierKind = 'url' | 'path' | 'email' | 'domain' | 'form' | 'paragraph' | 'circular' | 'law' | 'phone';

export interface Identifier {
  kind: IdentifierKind;
  raw: string;
  /** Canonical form; two identifiers of a kind are the same when these are equal. */
  norm: string;
}

const TLD = 'no|com|org|net|example|invalid|io|info|eu|se|dk|gov|edu|app|dev|test|nu|fi|uk|de';

const PATTERNS: [IdentifierKind, RegExp][] = [
  ['url', /https?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/gi],
  ['email', /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g],
  ['path', /(?<=^|[\s(])\/[a-z0-9][\w\-./]*[\w/]/gi],
  ['domain', new RegExp(String.raw`\b(?:[a-z0-9-]+\.)+(?:${TLD})\b(?:\/[\w\-./]*[\w/])?`, 'gi')],
  ['law', /\bLOV-\d{4}-\d{2}-\d{2}-\d+\b/g],
  ['form', /\b(?:NAV|IS|HOD)[ -]?\d{2}-\d{2}(?:\.\d{2})?\b/g],
  ['circular', /\b[A-ZÆØÅ]{1,3}-\d{1,3}\/\d{2,4}\b/g],
  ['paragraph', /§§?\s?\d+(?:-\d+)*(?:\s?[a-z](?![a-zæøå]))?/g],
  ['phone', /(?:\+47\s?)?\b\d{2}\s\d{2}\s\d{2}\s\d{2}\b|\b\d{3}\s\d{2}\s\d{3}\b|(?<!\d )(?<!\d)\b\d{8}\b(?! \d)/g],
];

function normOf(kind: IdentifierKind, raw: string): string {
  switch (kind) {
    case 'url':
      return raw
        .toLowerCase()
        .replace(/^https?:\/\/(www\.)?/, '')
        .replace(/\/$/, '');
    case 'domain':
      return raw
        .toLowerCase()
        .replace(/^www\./, '')
        .replace(/\/$/, '');
    case 'path':
      return raw.toLowerCase().replace(/\/$/, '');
    case 'email':
    case 'circular':
    case 'law':
      return raw.toLowerCase();
    case 'form':
    case 'paragraph':
    case 'phone':
      return normalizeFigure(kind, raw)[0]!;
  }
}

/**
 * Every identifier in `text`, each character claimed by the first pattern that matches it (a
 * domain inside a URL or an e-mail address is not reported again), plus `masked`: the text with
 * each identifier replaced by a placeholder so that its digits are not read as amounts.
 */
export function findIdentifiers(text: string): { ids: Identifier[]; masked: string } {
  const taken: [number, number][] = [];
  const ids: Identifier[] = [];
  for (const [kind, re] of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      ids.push({ kind, raw: m[0], norm: normOf(kind, m[0]) });
    }
  }
  let masked = text;
  for (const [a, b] of [...taken].sort((x, y) => y[0] - x[0])) masked = `${masked.slice(0, a)} ⟦id⟧ ${masked.slice(b)}`;
  return { ids, masked };
}

/** The hosts a source names: its URLs' and e-mail addresses' domains and its bare domains, `www.` dropped. */
function hostsOf(ids: readonly Identifier[]): Set<string> {
  const hosts = new Set<string>();
  for (const id of ids) {
    if (id.kind === 'url') hosts.add(id.norm.split('/')[0]!);
    if (id.kind === 'email') hosts.add(id.norm.split('@')[1]!);
    if (id.kind === 'domain') hosts.add(id.norm.split('/')[0]!);
  }
  return hosts;
}

/** True when the source supports a claimed identifier. */
export function identifierSupported(id: Identifier, source: readonly Identifier[], sourceText: string): boolean {
  if (id.kind === 'domain') {
    const [host, ...rest] = id.norm.split('/');
    if (rest.length === 0) return hostsOf(source).has(host!);
    return source.some((s) => (s.kind === 'url' || s.kind === 'domain') && s.norm === id.norm);
  }
  if (id.kind === 'path') return sourceText.toLowerCase().includes(id.norm);
  if (id.kind === 'url') return source.some((s) => (s.kind === 'url' || s.kind === 'domain') && s.norm === id.norm);
  return source.some((s) => s.kind === id.kind && s.norm === id.norm);
}

/** The finding code for an unsupported identifier of this kind. */
export function identifierCode(kind: IdentifierKind): string {
  if (kind === 'phone' || kind === 'email') return 'contact';
  if (kind === 'url' || kind === 'path' || kind === 'domain') return 'url';
  return 'reference';
}
