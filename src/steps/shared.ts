import type { ResolvedSource } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { Context } from './context.js';

/** Collect a repeatable flag's values (commander's `argParser`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parse a positive integer flag; a clear error names the flag. */
export function intFlag(name: string, min = 0): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`${name}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${value}"`);
    return n;
  };
}

/** The sources named by `--source` (all when none); an unknown id is a usage error. */
export async function selectSources(ctx: Context, ids: string[] | undefined): Promise<ResolvedSource[]> {
  const { sources, file } = await ctx.config();
  if (!ids || ids.length === 0) return sources;
  const known = new Map(sources.map((s) => [s.id, s]));
  return ids.map((id) => {
    const s = known.get(id);
    if (!s) throw new UsageError(`--source: no source "${id}" in ${file}`, `Known: ${[...known.keys()].join(', ')}`);
    return s;
  });
}

/** Examples block for `--help`. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
