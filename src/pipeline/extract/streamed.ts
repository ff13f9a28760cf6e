/**
 * React's streamed server rendering (Next.js app router and others) sends a page in two parts: the
 * shell, with an empty `<template id="B:0">` where a suspended part goes, and later, at the end of
 * `<body>`, that part in `<div hidden id="S:0">` with a script `$RC("B:0","S:0")` that moves it into
 * place in the browser. Without scripts the content stays hidden and is dropped with the other
 * hidden elements, and the page came out as its menu alone. Here the moves are done as the
 * browser would: `$RS("S:x","P:y")` puts a segment in place of `<template id="P:y">`, and
 * `$RC("B:x","S:y")` replaces a boundary's fallback (from its template to the `<!--/$-->`
 * comment) by the segment's children.
 */

const COMPLETE = /\$RC\(\s*"(B:[\w-]+)"\s*,\s*"(S:[\w-]+)"/g;
const SEGMENT = /\$RS\(\s*"(S:[\w-]+)"\s*,\s*"(P:[\w-]+)"/g;

/** The moves the page's scripts ask for, in script order: [kind, target id, segment id]. */
function streamedMoves(scripts: readonly Element[]): ['RS' | 'RC', string, string][] {
  const moves: ['RS' | 'RC', string, string][] = [];
  for (const s of scripts) {
    const code = s.textContent ?? '';
    if (!code.includes('$R')) continue;
    const found: [number, 'RS' | 'RC', string, string][] = [];
    for (const m of code.matchAll(COMPLETE)) found.push([m.index ?? 0, 'RC', m[1]!, m[2]!]);
    for (const m of code.matchAll(SEGMENT)) found.push([m.index ?? 0, 'RS', m[2]!, m[1]!]);
    found.sort((a, b) => a[0] - b[0]);
    for (const [, kind, target, segment] of found) moves.push([kind, target, segment]);
  }
  return moves;
}

/**
 * Put React's streamed segments where its scripts would (see above), in place in `all`'s document.
 * `all` is every element of the document in order. Returns how many segments were moved.
 */
export function resolveStreamed(all: readonly Element[]): number {
  const scripts = all.filter((el) => el.localName === 'script');
  const moves = streamedMoves(scripts);
  if (moves.length === 0) return 0;
  const byId = new Map<string, Element>();
  for (const el of all) {
    const id = el.getAttribute('id');
    if (id && /^[BSP]:/.test(id) && !byId.has(id)) byId.set(id, el);
  }
  let moved = 0;
  for (const [kind, targetId, segmentId] of moves) {
    const target = byId.get(targetId);
    const segment = byId.get(segmentId);
    const parent = target?.parentNode;
    if (!target || !segment || !parent || segment.contains(target)) continue;
    if (kind === 'RC') {
      // The fallback: the template and what follows it up to the boundary's closing comment.
      for (let n = target.nextSibling; n && !(n.nodeType === 8 && (n as Comment).data === '/$'); n = target.nextSibling) n.remove();
    }
    target.replaceWith(...Array.from(segment.childNodes));
    segment.remove();
    moved++;
  }
  return moved;
}
