import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The house's layering (ARCHITECTURE.md, "Layers"): a file may import only from its own layer or
// below. Lower layers know nothing of the ones above, so an offline run never loads the Anthropic
// SDK through a shared error class, and the store never depends on a pipeline stage.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Layer of a source file (path relative to src/, forward slashes); lower is more basic. */
export function layerOf(file: string): number {
  if (['errors.ts', 'memory.ts', 'hash.ts', 'suggest.ts', 'instruction.ts', 'pipeline/types.ts'].includes(file)) return 0;
  if (file.startsWith('config/')) return 1;
  if (file.startsWith('llm/')) return 2;
  if (file.startsWith('store/')) return 3;
  if (file.startsWith('pipeline/')) return 4;
  if (file.startsWith('review/') || file.startsWith('demo/')) return 5;
  if (file.startsWith('commands/')) return 6;
  return 7; // cli.ts, index.ts
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// Type-only imports (`import type …`) are erased at compile time: they load nothing and are left out.
const IMPORT = /(?:^|[\s;])(?:import|export)\s(?!type\s)[^'"`]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of every file under src/, resolved to paths relative to src/ (`.js` → `.ts`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const abs of walk(SRC)) {
    const from = relative(SRC, abs).split('\\').join('/');
    const text = readFileSync(abs, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (!spec?.startsWith('.')) continue;
      const target = relative(SRC, resolve(dirname(abs), spec.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/');
      targets.push(target);
    }
    graph.set(from, targets);
  }
  return graph;
}

/**
 * Known debts (ARCHITECTURE.md, "Layers"): each is listed so that no new one can creep in, and
 * the list must shrink when one is paid (the test fails on a listed import that is gone too).
 * The store's migrations re-run pipeline logic (reclassify, re-verify claims) and gc asks which
 * items are published; the config names feeds and finds the browser through pipeline modules.
 */
const KNOWN_UPWARD = [
  'config/env.ts → pipeline/fetch/find-browser.ts',
  'config/schema.ts → pipeline/channels/feed-names.ts',
  'store/gc.ts → pipeline/review.ts',
  'store/migrate-claims.ts → pipeline/claims.ts',
  'store/migrate-claims.ts → pipeline/item-claims.ts',
  'store/migrate-claims.ts → pipeline/review.ts',
  'store/migrate-claims.ts → pipeline/summarize.ts',
  'store/migrate.ts → pipeline/classify.ts',
];
/** The bundle writes its channel files and the channels read the bundle's types and helpers. */
const KNOWN_CYCLES = ['pipeline/bundle.ts → pipeline/channels/index.ts → pipeline/bundle.ts'];

describe('import layers', () => {
  const graph = importGraph();

  it('finds the source files and their imports (the walker itself works)', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(graph.get('cli.ts')?.length ?? 0).toBeGreaterThan(3);
  });

  it('no file imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) if (layerOf(to) > layerOf(from)) upward.push(`${from} → ${to}`);
    }
    expect(upward.sort()).toEqual([...KNOWN_UPWARD].sort());
  });

  it('only the provider choice (commands/) loads the Anthropic SDK, so an offline run never does', () => {
    // The SDK's modules: the summariser and the claims judge (which shares the summariser's error mapping).
    const sdk = new Set(['llm/anthropic.ts', 'llm/anthropic-judge.ts']);
    const loaders = [...graph].filter(([from, targets]) => !sdk.has(from) && targets.some((t) => sdk.has(t))).map(([from]) => from);
    expect(loaders.filter((from) => layerOf(from) < layerOf('commands/context.ts'))).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (node: string): void => {
      state.set(node, 'open');
      stack.push(node);
      for (const next of graph.get(node) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, 'done');
    };
    for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
    // Each cycle once, named from its first module in sorted order.
    expect(
      [...new Set(cycles)].filter((c) => !KNOWN_CYCLES.some((k) => c.includes(k.split(' → ')[1]!) && c.includes(k.split(' → ')[0]!))),
    ).toEqual([]);
    for (const known of KNOWN_CYCLES) expect(cycles.some((c) => c === known)).toBe(true);
  });
});
