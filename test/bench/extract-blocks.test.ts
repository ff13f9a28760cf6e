/**
 * The block classifiers of `npm run bench:extract-blocks` (bench/extract-blocks-models.ts) and its
 * leaf blocks (extract-blocks-features.ts): the bench's finding that they do not beat always saying
 * "content" on unseen pages is only worth something if they learn what can be learned.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/pipeline/extract/extract.js';
import { blockFeatures, FEATURE_NAMES, leafBlocks } from '../../bench/extract-blocks-features.js';
import { type Example, trainBoosted, trainLogistic } from '../../bench/extract-blocks-models.js';

/** Points on a line: label 1 when x0 + 2·x1 > 1.5, with a feature that is noise. */
function separable(n: number): Example[] {
  const out: Example[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = ((i * 37) % 100) / 100;
    const x1 = ((i * 61) % 100) / 100;
    const noise = ((i * 13) % 7) / 7;
    out.push({ x: [x0, x1, noise], y: x0 + 2 * x1 > 1.5 ? 1 : 0, w: 1 });
  }
  return out;
}

describe('bench:extract-blocks models', () => {
  for (const [name, train] of [
    ['logistic', trainLogistic],
    ['boosted trees', trainBoosted],
  ] as const) {
    it(`${name} learns a rule it can express, and gives the same answers for the same data`, () => {
      const data = separable(400);
      const model = train(data);
      const right = data.filter((e) => model(e.x) >= 0.5 === (e.y === 1)).length;
      expect(right / data.length).toBeGreaterThan(0.9);
      expect(train(data)([0.9, 0.9, 0.5])).toBe(model([0.9, 0.9, 0.5]));
    });
  }
});

describe('bench:extract-blocks leaf blocks', () => {
  it('reads each paragraph, item and row as a block, with one feature per name and link density from its links', () => {
    const doc = parseDocument(
      '<!doctype html><html><body><main><h2>Grunnstønad</h2><div><p>Grunnstønad gis ved varige ekstrautgifter.</p>' +
        '<ul><li><a href="/a">Del siden</a></li><li>Sats 1: 8 232 kroner</li></ul></div>' +
        '<table><tr><td>Sats 2</td><td>16 416</td></tr></table></main></body></html>',
      'https://example.no/',
    );
    const main = doc.getElementsByTagName('main')[0]!;
    const blocks = leafBlocks(main);
    expect(blocks.map((b) => b.text)).toEqual([
      'Grunnstønad',
      'Grunnstønad gis ved varige ekstrautgifter.',
      'Del siden',
      'Sats 1: 8 232 kroner',
      'Sats 2 | 16 416',
    ]);
    const features = blockFeatures(main, blocks);
    expect(features.every((f) => f.length === FEATURE_NAMES.length)).toBe(true);
    const linkDensity = FEATURE_NAMES.indexOf('linkDensity');
    expect(features.map((f) => f[linkDensity])).toEqual([0, 0, 1, 0, 0]);
  });
});
