import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { escapeHtml, highlightSpans, renderSideBySideHtml, sideBySideRows } from '../../src/pipeline/publish/render-html.js';

/** Parse a fragment in jsdom (no scripts run) to look at it as a browser would. */
function dom(html: string): Document {
  return new JSDOM(`<!doctype html><body>${html}</body>`).window.document;
}

describe('escapeHtml / highlightSpans', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('wraps every occurrence of each span, escaping inside and outside the marks', () => {
    const out = highlightSpans('Sats <b>9 999</b> kr; igjen 9 999.', ['9 999', ''], 'Ikke funnet');
    expect(out).toBe(
      'Sats &lt;b&gt;<mark class="ungrounded" title="Ikke funnet">9 999</mark>&lt;/b&gt; kr; igjen <mark class="ungrounded" title="Ikke funnet">9 999</mark>.',
    );
    // the longest span wins where two start at the same place
    expect(highlightSpans('8 232 kroner', ['8 232', '8 232 kroner'])).toBe('<mark class="ungrounded">8 232 kroner</mark>');
    expect(highlightSpans('<script>', ['<script>'])).toBe('<mark class="ungrounded">&lt;script&gt;</mark>');
  });
});

describe('side-by-side diff', () => {
  it('aligns by line: equal lines side by side, a changed line word-diffed, inserted lines against empty cells', () => {
    const oldText = 'Grunnstønad\nSats 1 er 8 232 kroner i året.\nSøk på nav.no.';
    const newText = 'Grunnstønad\nSats 1 er 8 500 kroner i året.\nNy linje om frister.\nSøk på nav.no.';
    const rows = sideBySideRows(oldText, newText, { contextLines: Infinity });
    expect(rows.map((r) => [r.op, r.oldLine, r.newLine])).toEqual([
      ['eq', 1, 1],
      ['change', 2, 2],
      ['add', undefined, 3],
      ['eq', 3, 4],
    ]);
    // a Norwegian amount is one token: replaced whole
    expect(rows[1]!.oldHtml).toBe('Sats 1 er <del class="del">8 232</del> kroner i året.');
    expect(rows[1]!.newHtml).toBe('Sats 1 er <ins class="ins">8 500</ins> kroner i året.');
    expect(rows[2]!.newHtml).toBe('<ins class="ins">Ny linje om frister.</ins>');
  });

  it('shows a new page as insertions only and a removed page as deletions only', () => {
    expect(sideBySideRows(undefined, 'a\nb').map((r) => [r.op, r.oldLine, r.newLine])).toEqual([
      ['add', undefined, 1],
      ['add', undefined, 2],
    ]);
    expect(sideBySideRows('a', undefined).map((r) => r.op)).toEqual(['del']);
  });

  it('folds long unchanged runs, keeping context lines next to each change', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `linje ${i + 1}`);
    const changed = [...lines];
    changed[10] = 'linje 11 endret';
    const rows = sideBySideRows(lines.join('\n'), changed.join('\n'), { contextLines: 2 });
    expect(rows.map((r) => (r.op === 'skip' ? `skip ${r.skipped}` : `${r.op} ${r.oldLine}`))).toEqual([
      'skip 8',
      'eq 9',
      'eq 10',
      'change 11',
      'eq 12',
      'eq 13',
      'skip 7',
    ]);
  });

  it('renders page text with <script> and markup as inert text in the table', () => {
    const evil = 'Trygg linje\n<script>alert("x")</script><img src=x onerror=alert(1)>';
    const html = renderSideBySideHtml('Trygg linje\ngammel', evil);
    expect(html).not.toMatch(/<script|<img/i);
    const doc = dom(html);
    expect(doc.querySelectorAll('script, img')).toHaveLength(0);
    const right = [...doc.querySelectorAll('td.new')].map((td) => td.textContent).join('\n');
    expect(right).toContain('<script>alert("x")</script><img src=x onerror=alert(1)>');
    expect(doc.querySelector('td.old del.del')!.textContent).toBe('gammel');
    expect(doc.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(doc.querySelector('thead')!.textContent).toBe('FørNå');
  });
});
