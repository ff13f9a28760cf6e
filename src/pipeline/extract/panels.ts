/**
 * Accordion panels hidden until clicked (issue 14): shown, not dropped as hidden. Its own file so
 * that clean.ts, which every other extract file builds on, imports nothing from them.
 */

/**
 * Accordion panels hidden until their heading is clicked, which are the page's text (an FAQ's
 * answers, a service's "Hvem kan søke?"): by the WAI-ARIA accordion pattern, a panel that a button
 * (`<button>` or `role="button"`) names in `aria-controls` and that is labelled by that same button
 * (`aria-labelledby`), although the button carries no aria-expanded; and the body of a `<details>`
 * (its children but the `<summary>`), which scripts hide by `aria-hidden` while it is closed.
 */
export function accordionPanels(all: readonly Element[]): Set<Element> {
  const controllers = new Map<string, string>();
  for (const el of all) {
    const ids = el.getAttribute('aria-controls');
    const own = el.getAttribute('id');
    if (!ids || !own || (el.localName !== 'button' && el.getAttribute('role') !== 'button')) continue;
    for (const id of ids.split(/\s+/)) if (id) controllers.set(id, own);
  }
  const out = new Set<Element>();
  for (const el of all) {
    if (el.parentElement?.localName === 'details' && el.localName !== 'summary') {
      out.add(el);
      continue;
    }
    const id = el.getAttribute('id');
    const by = id !== null ? controllers.get(id) : undefined;
    if (by !== undefined && (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).includes(by)) out.add(el);
  }
  return out;
}
