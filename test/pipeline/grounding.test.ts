import { describe, expect, it } from 'vitest';
import { verifyGrounding } from '../../src/pipeline/verify/grounding.js';
import type { SummaryContent } from '../../src/pipeline/types.js';

const SOURCE = [
  'Pleiepenger for sykt barn',
  'For å få pleiepenger må du ha hatt en årsinntekt på minst ½ G, det vil si 65 080 kroner.',
  'Du må ha vært i arbeid i minst 4 uker. Barnet må være under 18 år.',
  'Pleiepenger utgjør 100 prosent av inntekten, men ikke mer enn 6 G per år.',
  'Sats 1 | 8 232 kroner | 686 kroner',
  'Reglene gjelder fra 1. oktober 2017. Send skjema NAV 09-11.05.',
  'Har du spørsmål, ring 55 55 33 33 eller se https://www.nav.no/pleiepenger.',
].join('\n');

const ok: SummaryContent = {
  summary:
    'Du kan få pleiepenger hvis barnet er under 18 år. Du må ha tjent minst 0,5 G (65080 kr) og jobbet i 4 uker. ' +
    'Du får 100 % av inntekten, opptil 6 G. Reglene gjelder fra 1.10.2017. Sats 1 er 8.232 kroner i året. Ring +47 55 55 33 33.',
  keyFacts: [{ fact: 'Minst ½ G i inntekt.', quote: 'minst ½ G, det vil si 65 080 kroner' }],
  appliesTo: 'Foreldre med barn under 18 år.',
  howToApply: 'Send skjema NAV 09-11.05, se https://www.nav.no/pleiepenger.',
  deadlines: [],
};

describe('verifyGrounding', () => {
  it('accepts a correct summary whatever the number format (no false positives)', () => {
    const r = verifyGrounding(ok, SOURCE);
    expect(r.issues).toEqual([]);
    expect(r.isGrounded).toBe(true);
    expect(r.checked).toBeGreaterThan(10);
  });

  it.each([
    ['an amount', 'Sats 1 er 9 232 kroner.', '9 232'],
    ['an age', 'Barnet må være under 16 år.', '16'],
    ['a date', 'Reglene gjelder fra 1. oktober 2018.', '1. oktober 2018'],
    ['a percentage', 'Du får 80 prosent av inntekten.', '80 prosent'],
    ['a phone number', 'Ring 55 55 44 44.', '55 55 44 44'],
    ['a G multiple', 'Taket er 7 G.', '7 G'],
    ['a form number', 'Bruk skjema NAV 09-11.06.', 'NAV 09-11.06'],
  ])('catches an invented %s', (_what, summary, span) => {
    const r = verifyGrounding({ ...ok, summary }, SOURCE);
    expect(r.isGrounded).toBe(false);
    expect(r.issues).toContainEqual({ kind: 'number', span, where: 'summary' });
  });

  it('checks quotes and lets a change summary use the old text', () => {
    const bad = verifyGrounding({ ...ok, keyFacts: [{ fact: 'x', quote: 'minst 1 G' }] }, SOURCE);
    expect(bad.issues).toEqual([{ kind: 'quote', span: 'minst 1 G', where: 'keyFacts' }]);
    const change = verifyGrounding(ok, SOURCE, { text: 'Sats 1 gikk fra 8 100 til 8 232 kroner.', oldText: 'Sats 1 | 8 100 kroner' });
    expect(change.isGrounded).toBe(true);
    const wrong = verifyGrounding(ok, SOURCE, { text: 'Sats 1 gikk fra 8 000 til 8 232 kroner.', oldText: 'Sats 1 | 8 100 kroner' });
    expect(wrong.issues).toEqual([{ kind: 'number', span: '8 000', where: 'changeSummary' }]);
  });
});
