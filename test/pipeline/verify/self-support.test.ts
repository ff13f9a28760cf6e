import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/llm/norwegian.js';
import { verifyClaim } from '../../../src/pipeline/verify/index.js';
import { toLines } from '../../../src/pipeline/verify/text.js';

const root = path.resolve(import.meta.dirname, '../../..');
const files = execFileSync('git', ['ls-files', 'demo/site', 'test/fixtures/extract'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => (f.startsWith('demo/') && f.endsWith('.html')) || f.endsWith('expected.md'));

/** The blocks a model would quote: paragraphs, list items, headings and table rows (HTML), or Markdown paragraphs. */
function blocksOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  if (file.endsWith('.md')) return text.split(/\n\s*\n/);
  return [...text.matchAll(/<(p|li|h[1-6]|td|tr)[^>]*>[\s\S]*?<\/\1>/g)].map((m) => m[0]);
}

// Every sentence of every demo page and extraction fixture, as plain text, against the HTML or
// Markdown block it comes from: a claim that copies its source must never be flagged, whatever
// the markup (links with targets, tables, emphasis, lists, NBSP) around it.
describe('a sentence copied from its span', () => {
  it('is supported for every sentence of the demo site and the extraction fixtures', () => {
    const flagged: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const block of blocksOf(file)) {
        for (const sentence of toLines(block).flatMap((l) => splitSentences(l))) {
          if (!/\p{L}{3}/u.test(sentence)) continue;
          checked++;
          const r = verifyClaim(sentence, [block]);
          if (r.verdict !== 'supported') flagged.push(`${file}: ${sentence} → ${r.findings.map((f) => f.code).join(', ')}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(flagged).toEqual([]);
  });
});
