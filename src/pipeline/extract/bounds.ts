/**
 * Bounds on what extraction walks, so that a hostile page costs time linear in its size: nesting
 * deeper than any real layout is flattened into text right after parsing, before Readability,
 * clean() or the serializers (several of which recurse, or scan ancestors per node) see it.
 */

/**
 * Deepest element nesting kept, counted from `<html>`. Real public-sector pages nest 20–60 deep;
 * Readability's per-node ancestor scans made 1,000 levels cost 41 s and 20,000 levels hang.
 */
export const MAX_DEPTH = 256;

/**
 * Replace the content of every element at `maxDepth` that still has element children by its text,
 * in one iterative walk (no recursion: 20,000 levels would overflow the stack). The text is kept;
 * only the structure below the limit is lost. Returns how many elements were flattened.
 */
export function boundDepth(root: Element, maxDepth = MAX_DEPTH): number {
  let flattened = 0;
  let el: Element | null = root;
  let depth = 0;
  while (el) {
    if (depth >= maxDepth && el.firstElementChild) {
      el.textContent = el.textContent ?? '';
      flattened++;
    }
    if (el.firstElementChild) {
      el = el.firstElementChild;
      depth++;
      continue;
    }
    while (el && el !== root && !el.nextElementSibling) {
      el = el.parentElement;
      depth--;
    }
    if (!el || el === root) break;
    el = el.nextElementSibling;
  }
  return flattened;
}
