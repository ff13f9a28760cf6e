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
  if (
    [
      'errors.ts',
      'atomic-file.ts',
      'memory.ts',
      'hash.ts',
      'slugs.ts',
      'stable-json.ts',
      'suggest.ts',
      'instruction.ts',
      'pipeline/types.ts',
    ].includes(file)
  )
    return 0;
  if (file.startsWith('config/')) return 1;
  if (file.startsWith('llm/')) return 2;
  if (file.startsWith('store/')) return 3;
  if (file.startsWith('pipeline/')) return 4;
  if (file.startsWith('review/') || file.startsWith('demo/')) return 5;
  if (file.startsWith('steps/')) return 6;
  if (file.startsWith('commands/')) return 7;
  return 8; // cli.ts, index.ts
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
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Known debts (ARCHITECTURE.md, "Layers"): each is listed so that no new one can creep in, and
 * the list must shrink when one is paid (the test fails on a listed import that is gone too).
 * None are left: the store's migrations that re-run pipeline logic and gc's rule of what is
 * published are passed in by the pipeline (pipeline/upgrade/), and config/ holds the feed names
 * and the browser finder.
 */
const KNOWN_UPWARD: string[] = [];
/** None left: the channels read the bundle's types only (erased) and share `stable-json.ts` with it. */
const KNOWN_CYCLES: string[] = [];

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

  it('a pipeline stage is entered only through its index.ts (its public face)', () => {
    const stageOf = (file: string): string | undefined => /^pipeline\/([^/]+)\//.exec(file)?.[1];
    const reaching: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const stage = stageOf(to);
        if (stage && stage !== stageOf(from) && to !== `pipeline/${stage}/index.ts`) reaching.push(`${from} → ${to}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it('only the provider choice (steps/context.ts) loads the Anthropic SDK, so an offline run never does', () => {
    // The SDK's own modules (the providers) may import each other; anything else below steps/ may not load them.
    const sdkModules = new Set(
      [...graph.keys()].filter((file) => /from\s+['"]@anthropic-ai\/sdk['"]/.test(readFileSync(join(SRC, file), 'utf8'))),
    );
    expect(sdkModules.has('llm/anthropic.ts')).toBe(true);
    const loaders = [...graph]
      .filter(([from, targets]) => !sdkModules.has(from) && targets.some((t) => sdkModules.has(t)))
      .map(([from]) => from);
    expect(loaders.filter((from) => layerOf(from) < layerOf('steps/context.ts'))).toEqual([]);
  });

  it('no command imports another command: shared steps live in steps/ (issue 12, thin commands)', () => {
    const crossing: string[] = [];
    for (const [from, targets] of graph) {
      if (!from.startsWith('commands/')) continue;
      for (const to of targets) if (to.startsWith('commands/')) crossing.push(`${from} → ${to}`);
    }
    expect(graph.has('commands/crawl.ts') && graph.has('steps/crawl.ts')).toBe(true);
    expect(crossing).toEqual([]);
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
