import { describe, expect, it } from 'vitest';
import { findFigures, normalizeFigure, splitSentences } from '../../src/llm/norwegian.js';

describe('splitSentences', () => {
  it('knows Norwegian abbreviations, ordinal dates and § references', () => {
    const text =
      'Du kan f.eks. få stønad fra 1. januar 2025. Beløpet er kr. 8 232 per år, jf. § 6-3. ' +
      'Søk innen 3. mars, bl.a. via nav.no. Ring tlf. 55 55 33 33 kl. 9. Neste setning.';
    expect(splitSentences(text)).toEqual([
      'Du kan f.eks. få stønad fra 1. januar 2025.',
      'Beløpet er kr. 8 232 per år, jf. § 6-3.',
      'Søk innen 3. mars, bl.a. via nav.no.',
      'Ring tlf. 55 55 33 33 kl. 9.',
      'Neste setning.',
    ]);
  });

  it('keeps lines apart', () => {
    expect(splitSentences('Overskrift\nSats 1 | 8 232 | 686\nEn setning. To setninger.')).toEqual([
      'Overskrift',
      'Sats 1 | 8 232 | 686',
      'En setning.',
      'To setninger.',
    ]);
  });
});

describe('findFigures', () => {
  const kinds = (t: string) => findFigures(t).map((f) => `${f.kind}:${f.raw}`);
  it('finds each kind of figure, most specific first', () => {
    expect(kinds('Send skjema NAV 09-06.05 innen 1. mars 2025, jf. § 2-5 b.')).toEqual([
      'form:NAV 09-06.05',
      'date:1. mars 2025',
      'paragraph:§ 2-5 b',
    ]);
    expect(kinds('Inntekt over 6 G eller minst ½ G gir 100 prosent, 20 %.')).toEqual([
      'g:6 G',
      'g:½ G',
      'percent:100 prosent',
      'percent:20 %',
    ]);
    expect(kinds('Ring 55 55 33 33 eller skriv til post@nav.no, se https://www.nav.no/satser.')).toEqual([
      'phone:55 55 33 33',
      'email:post@nav.no',
      'url:https://www.nav.no/satser',
    ]);
    expect(kinds('Barn under 18 år får 8 232 kroner i 2025.')).toEqual(['number:18', 'number:8 232']);
  });

  it('normalises so equal figures compare equal', () => {
    expect(normalizeFigure('number', '8 232')).toContain('8232');
    expect(normalizeFigure('number', '8.232')).toContain('8232');
    expect(normalizeFigure('number', '65,080')).toContain('65080');
    expect(normalizeFigure('g', '½ G')).toEqual(normalizeFigure('g', '0,5 G'));
    expect(normalizeFigure('date', '1.1.2015')[0]).toBe('2015-01-01');
    expect(normalizeFigure('date', '1. januar 2015')[0]).toBe('2015-01-01');
    expect(normalizeFigure('phone', '+47 55 55 33 33')).toEqual(normalizeFigure('phone', '55 55 33 33'));
  });
});
