/**
 * Headings left without their section (issue 14): when `<main>` is cut down to Readability's blocks
 * (choice.ts), a section it left out goes unit by unit and its heading, which is no unit, stayed
 * alone ("FAQs", "Customer stories", "Resources" over nothing); so did the heading over a link list,
 * form or widget `pruneChrome` removed. A heading heads the text after it; with none left it says
 * nothing.
 */

const LEVELS: Readonly<Record<string, number>> = { h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/**
 * The headings (h2-h6) under `root` whose section holds no text: no text before the next heading
 * of the same or a higher level, or the end of `root`. The page's <h1> is never one.
 */
export function emptySections(root: Element): Set<Element> {
  const empty = new Set<Element>();
  const open: { el: Element; level: number; filled: boolean }[] = [];
  const walk = (node: Node, inHeading: boolean): void => {
    if (node.nodeType === 3) {
      if (!inHeading && (node as Text).data.trim() !== '') for (const h of open) h.filled = true;
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const level = LEVELS[el.localName];
    if (level !== undefined && !inHeading) {
      while (open.length > 0 && open[open.length - 1]!.level >= level) {
        const h = open.pop()!;
        if (!h.filled) empty.add(h.el);
      }
      open.push({ el, level, filled: false });
    }
    const heading = inHeading || level !== undefined || el.localName === 'h1';
    for (let c = el.firstChild; c; c = c.nextSibling) walk(c, heading);
  };
  walk(root, false);
  for (const h of open) if (!h.filled) empty.add(h.el);
  return empty;
}

/**
 * Remove the headings under `root` whose section the cut emptied: empty now (`emptySections`) and
 * not before it (`before`, taken by `emptySections` ahead of the cut: a heading over nothing by the
 * page's own making, such as a tab's label, stays). Returns the characters removed.
 */
export function dropOrphanedHeadings(root: Element, before: ReadonlySet<Element>): number {
  let removed = 0;
  for (const h of emptySections(root)) {
    if (before.has(h)) continue;
    removed += (h.textContent ?? '').replace(/\s+/g, ' ').trim().length;
    h.remove();
  }
  return removed;
}
