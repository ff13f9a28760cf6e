/**
 * One test per rule of the chrome vocabulary (issue 14: the class, id and aria words by which
 * clean() and pruneChrome() know chrome, on every kind of page): each builds a small page by hand
 * and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, textOf } from '../../helpers/extract-rules.js';

describe("a heading's anchor id", () => {
  it('is its topic, not a role: a heading whose slug holds a chrome word stays, a banner with that word goes', () => {
    const html = `<!doctype html><html lang="nb"><body><main><h1>Parkering i sentrum</h1>
      <p>${PROSE}</p>
      <h2 id="cookies-og-betaling-i-appen">Cookies og betaling i appen</h2>
      <p>${PROSE}</p>
      <div id="cookie-banner">Vi bruker informasjonskapsler for å forbedre nettstedet.</div>
      </main></body></html>`;
    const text = textOf(html);
    expect(text).toContain('Cookies og betaling i appen');
    expect(text).not.toContain('Vi bruker informasjonskapsler');
  });
});
