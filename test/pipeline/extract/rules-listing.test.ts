/**
 * One test per rule for collection and listing pages (issue 14, the collection and listing pages
 * of the 2026 corpus): each builds a small page by hand and fails if its rule is removed.
 */
import { describe, expect, it } from 'vitest';
import { PROSE, prunedMain } from '../../helpers/extract-rules.js';

describe('a rating on a card of a listing', () => {
  it("keeps a unit's rating value and vote count, and drops a rating widget to click", () => {
    const cards = ['Avlastningsbolig Solsiden', 'Dagsenter Fjellheim', 'Støttekontakt Sentrum']
      .map(
        (name, i) =>
          `<li class="kort"><h3><a href="/t/${i}">${name}</a></h3><span class="info">Åpent alle hverdager</span>` +
          `<span class="tjeneste-rating">${4 + i / 10} (1${i}2 vurderinger)</span></li>`,
      )
      .join('');
    const text = prunedMain(
      `<h1>Tjenester</h1><p>${PROSE}</p><ul class="tjenester">${cards}</ul>` +
        '<div class="page-rating">Var denne siden nyttig? <button>Ja</button> <button>Nei</button></div>' +
        '<div class="star-rating">Gi din vurdering: <button>1</button><button>2</button><button>3</button></div>',
    );
    expect(text).toContain('4 (102 vurderinger)');
    expect(text).toContain('4.2 (122 vurderinger)');
    expect(text).not.toContain('Var denne siden nyttig');
    expect(text).not.toContain('Gi din vurdering');
  });
});
