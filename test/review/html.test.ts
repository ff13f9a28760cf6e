/**
 * The review pages' wording, times and structure (issue 18), rendered from plain data and read
 * back with jsdom: reasons in bokmål, times in Europe/Oslo, one name field and no guessed name,
 * skip link, nav, captions, no empty header cells, source names, line-number columns of 3 rem.
 */
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { classifyChange } from '../../src/pipeline/diff/classify.js';
import type { ReviewItem } from '../../src/pipeline/types.js';
import { errorPage, itemPage, logPage, queuePage } from '../../src/review/html.js';
import { osloTime, reasonLabel } from '../../src/review/labels.js';

const NOW = new Date('2026-11-03T08:00:00.000Z');
const item = (over: Partial<ReviewItem> = {}): ReviewItem => ({
  id: 'abc123def4',
  sourceId: 'nav-satser',
  url: 'https://www.nav.no/satser',
  kind: 'changed',
  contentHash: 'h2',
  baseHash: 'h1',
  changeClass: 'material',
  classReasons: ['figure 8 232 → 8 580', 'section added: Søknad'],
  status: 'pending',
  createdAt: '2026-07-01T10:30:00.000Z',
  ...over,
});
const dom = (html: string): Document => new JSDOM(html).window.document;
/** Visible text of the page's body, without the inline style and script. */
const text = (doc: Document): string => {
  doc.querySelectorAll('style, script').forEach((n) => n.remove());
  return doc.body.textContent ?? '';
};

describe('reasonLabel', () => {
  it('says every reason the classifier writes in bokmål, none left in English', () => {
    const cases = [
      classifyChange({ kind: 'new' }),
      classifyChange({ kind: 'removed' }),
      classifyChange({ kind: 'changed', oldText: 'Sats 1 er 8 232 kroner.', newText: 'Sats 1 er 8 580 kroner.' }),
      classifyChange({ kind: 'changed', oldText: 'Sats 1.', newText: 'Sats 1 og 2.' }),
      classifyChange({ kind: 'changed', oldText: 'Du må søke.', newText: 'Du må ikke søke.' }),
      classifyChange({ kind: 'changed', oldText: 'Hei, du.', newText: 'hei du' }),
      classifyChange({ kind: 'changed', oldText: 'En fin dag i parken.', newText: 'En fin og rolig dag i den store parken.' }),
      classifyChange({ kind: 'changed', oldText: 'a', newText: 'a', oldMarkdown: '# A\n\n## Gammel', newMarkdown: '# A\n\n## Søknad' }),
    ].flatMap((c) => c.reasons);
    expect(cases.length).toBeGreaterThanOrEqual(8);
    const said = cases.map(reasonLabel);
    for (const s of said) expect(s).not.toMatch(/^endring:|\b(figure|added|removed|words|page|section|only)\b/);
    expect(said).toContain('ny side');
    expect(said).toContain('siden er fjernet');
    expect(said).toContain('tall endret: 8 232 → 8 580');
    expect(said).toContain('ordet «ikke» er lagt til');
    expect(said).toContain('nytt avsnitt: «Søknad»');
    expect(said).toContain('avsnitt fjernet: «Gammel»');
    expect(said.some((s) => /^\d+ ord lagt til, \d+ fjernet$/.test(s))).toBe(true);
  });

  it('keeps an unknown reason visible, marked as a change', () => {
    expect(reasonLabel('something new')).toBe('endring: something new');
  });
});

describe('osloTime', () => {
  it('shows Norwegian local time, summer and winter, the same for the same instant', () => {
    expect(osloTime('2026-07-01T10:30:00.000Z')).toBe('01.07.2026 kl. 12:30');
    expect(osloTime('2026-01-15T23:30:00.000Z')).toBe('16.01.2026 kl. 00:30');
    expect(osloTime('ikke en tid')).toBe('ikke en tid');
  });
});

describe('review pages', () => {
  const names = new Map([['nav-satser', 'NAV – satser']]);

  it('queue: source names, the class reasons in bokmål, caption, no empty header, skip link and nav', () => {
    const doc = dom(
      queuePage([{ item: item(), title: 'Satser', isGrounded: true }], {
        sources: ['nav-satser'],
        sourceNames: names,
        filters: {},
        now: NOW,
        nonce: 'n',
      }),
    );
    const row = doc.querySelector('table.queue tbody tr')!;
    expect(row.textContent).toContain('NAV – satser');
    expect(row.textContent).not.toContain('nav-satser');
    expect([...row.querySelectorAll('.reasons li')].map((l) => l.textContent)).toEqual([
      'tall endret: 8 232 → 8 580',
      'nytt avsnitt: «Søknad»',
    ]);
    expect(doc.querySelector('select[name=source] option[value="nav-satser"]')!.textContent).toBe('NAV – satser');
    expect(doc.querySelector('table.queue caption')!.textContent).not.toBe('');
    expect([...doc.querySelectorAll('th')].filter((t) => t.textContent!.trim() === '')).toEqual([]);
    expect(doc.querySelector('a.skip')!.getAttribute('href')).toBe('#main');
    expect(doc.querySelector('main')!.id).toBe('main');
    expect(doc.querySelectorAll('nav a')).toHaveLength(2);
    expect(text(doc)).not.toMatch(/\b(figure|section added)\b/);
  });

  it('item: one name field, not prefilled unless given, times in Oslo, line-number columns 3 rem', () => {
    const view = {
      item: item(),
      title: 'Satser',
      oldText: 'Sats 8 232 kroner',
      newText: 'Sats 8 580 kroner',
      log: [
        {
          at: '2026-07-01T10:30:00.000Z',
          by: 'Kari',
          action: 'created' as const,
          itemId: 'abc123def4',
          url: 'https://www.nav.no/satser',
          contentHash: 'h2',
        },
      ],
    };
    const html = itemPage(view, { nonce: 'n', now: NOW, forms: { csrf: 'c', reviewer: '' }, sourceName: 'NAV – satser' });
    const doc = dom(html);
    const fields = doc.querySelectorAll('input[name=reviewer]');
    expect(fields).toHaveLength(1);
    expect((fields[0] as HTMLInputElement).value).toBe('');
    expect(doc.querySelector('label input[name=reviewer]')).not.toBeNull();
    // Approve, save and reject post the one form (so the one name) to their own handlers.
    expect(doc.querySelectorAll('form')).toHaveLength(1);
    // (No summary here, so no «Lagre tekst»: there is no text to save.)
    expect(
      [...doc.querySelectorAll('form button')].map(
        (b) => b.getAttribute('formaction') ?? doc.querySelector('form')!.getAttribute('action'),
      ),
    ).toEqual(['/item/abc123def4/approve', '/item/abc123def4/reject']);
    // The name is remembered in this browser by the page's own script, with the response's nonce.
    expect(doc.querySelector('script')!.getAttribute('nonce')).toBe('n');
    expect(doc.querySelector('script')!.textContent).toContain('localStorage');
    const body = text(doc);
    expect(body).toContain('opprettet 01.07.2026 kl. 12:30');
    expect(body).not.toContain('2026-07-01T10:30');
    expect(doc.querySelector('table.log time')!.getAttribute('datetime')).toBe('2026-07-01T10:30:00.000Z');
    expect(body).toContain('NAV – satser');
    expect(body).toContain('tall endret: 8 232 → 8 580');
    expect(body).not.toMatch(/\bfigure\b/);
    expect(doc.querySelectorAll('table.diff col.ln')).toHaveLength(2);
    expect(html).toMatch(/table\.diff col\.ln\{width:3rem\}/);
    expect(doc.querySelector('table.diff caption')!.textContent).toBe('Endringer mot sist godkjente (ellers forrige) versjon');
    expect([...doc.querySelectorAll('th')].filter((t) => t.textContent!.trim() === '')).toEqual([]);
  });

  it('a name given with --as is put in the field; a decided item has no form and no script', () => {
    const view = { item: item(), title: 'Satser', log: [] };
    expect(
      dom(itemPage(view, { nonce: 'n', now: NOW, forms: { csrf: 'c', reviewer: 'Kari' } })).querySelector<HTMLInputElement>(
        'input[name=reviewer]',
      )!.value,
    ).toBe('Kari');
    const decided = dom(
      itemPage(
        { ...view, item: item({ status: 'approved', decidedBy: 'Kari', decidedAt: '2026-01-15T23:30:00.000Z' }) },
        { nonce: 'n', now: NOW, forms: { csrf: 'c', reviewer: '' } },
      ),
    );
    expect(decided.querySelectorAll('form, script')).toHaveLength(0);
    expect(text(decided)).toContain('godkjent av Kari 16.01.2026 kl. 00:30');
  });

  it('removed and new pages: the absent side is marked so a narrow screen can hide it', () => {
    const removed = dom(
      itemPage(
        { item: item({ kind: 'removed', classReasons: ['page removed'] }), title: 'Satser', oldText: 'Sats', log: [] },
        { nonce: 'n', now: NOW },
      ),
    );
    expect(removed.querySelectorAll('table.diff tbody td.new.none')).toHaveLength(1);
    expect(text(removed)).toContain('siden er fjernet');
    expect(text(removed)).not.toContain('page removed');
  });

  it('log and error pages have the same skip link, nav and caption', () => {
    for (const html of [logPage([], { nonce: 'n' }), errorPage(404, 'Finnes ikke.', { nonce: 'n' })]) {
      const doc = dom(html);
      expect(doc.querySelector('a.skip')).not.toBeNull();
      expect(doc.querySelector('nav')).not.toBeNull();
      expect(doc.querySelectorAll('script')).toHaveLength(0);
    }
    const log = dom(
      logPage([{ at: '2026-07-01T10:30:00.000Z', by: 'Kari', action: 'approved', itemId: 'x', url: 'u', contentHash: 'h' }], {
        nonce: 'n',
      }),
    );
    expect(log.querySelector('table.log caption')).not.toBeNull();
    expect(log.querySelector('table.log td')!.textContent).toBe('01.07.2026 kl. 12:30');
  });
});
