/**
 * Table columns: text.ts writes a table row as «label | value (Header) | value (Header)». A claim
 * that takes a value from one column but names another column's header («lovhjemmel for
 * barnekoordinator» with the koordinator column's § 2-5 a) has swapped columns. Headers that only
 * give a unit or a period («Per år») are left to the figures check. Pure.
 */
import type { ClaimFinding } from '../types.js';
import { findIdentifiers } from './identifiers.js';
import { unitOf } from './quantities.js';
import { isStop, stem, words } from './text.js';

interface Cell {
  /** Identifier norms and digit strings in the cell. */
  items: string[];
  header: string;
  stems: string[];
}

const NUMBER = /\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:,\d+)?/g;

function itemsOf(text: string): string[] {
  const { ids, masked } = findIdentifiers(text);
  return [...ids.map((id) => id.norm), ...[...masked.matchAll(NUMBER)].map((m) => m[0].replace(/[ .]/g, ''))];
}

function headerStems(header: string): string[] {
  return words(header)
    .filter((w) => !isStop(w) && unitOf(w) === null && w.length > 1)
    .map(stem);
}

function rowCells(line: string): Cell[] {
  if (!line.includes(' | ')) return [];
  return line
    .split(' | ')
    .slice(1)
    .flatMap((c) => {
      const m = /^(.*)\(([^()]+)\)$/.exec(c.trim());
      return m ? [{ items: itemsOf(m[1]!), header: m[2]!.trim(), stems: headerStems(m[2]!) }] : [];
    });
}

/** Column findings for a claim against the source's plain lines. */
export function checkColumns(claim: string, sourceLines: readonly string[]): ClaimFinding[] {
  const claimItems = new Set(itemsOf(claim));
  const claimStems = new Set(words(claim).map(stem));
  const out: ClaimFinding[] = [];
  for (const line of sourceLines) {
    const cells = rowCells(line);
    for (const cell of cells) {
      const others = cells.filter((c) => c !== cell);
      const own = cell.stems.filter((s) => !others.some((o) => o.stems.includes(s)));
      if (own.length === 0 || claimStems.size === 0 || own.some((s) => claimStems.has(s))) continue;
      const item = cell.items.find((i) => claimItems.has(i) && !others.some((o) => o.items.includes(i)));
      if (item === undefined) continue;
      const named = others.find((o) => o.stems.some((s) => !cell.stems.includes(s) && claimStems.has(s)));
      if (named) out.push({ code: 'swap', reason: `I tabellen står dette tallet under «${cell.header}», ikke under «${named.header}».` });
    }
  }
  return out;
}
