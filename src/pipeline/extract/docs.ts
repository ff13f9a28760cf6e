/**
 * Rules for articles, documentation and service pages (issue 14): the labels and lines around an
 * article's text that say where one is in the page rather than what the page says — a table of
 * contents' title.
 */
/**
 * The whole text of a table of contents' title, in English and Norwegian ("Table of contents",
 * "On this page", "Innholdsfortegnelse", "På denne siden"). Not a bare "Contents" or "Innhold":
 * those head a section of content at times ("Innhold" of a course).
 */
const TOC_LABEL =
  /^(?:table of contents|contents of this (?:page|article)|page contents|on this page|in this (?:article|page|post|guide)|jump to(?: section)?|innholdsfortegnelse|innhold på (?:denne|siden)|på denne siden|i denne artikkelen|hopp til(?: seksjon| avsnitt)?|contents)\s*:?$/i;

/** Whether a short text `t` is only the title of a table of contents (a list of the page's own sections). */
export function isTocLabel(t: string): boolean {
  if (/^contents\s*:?$/i.test(t)) return /:$/.test(t.trim());
  return TOC_LABEL.test(t);
}
