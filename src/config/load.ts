import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isCollection, isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { closest } from '../suggest.js';
import { configJsonSchema, configSchema, resolveSources, type Config, type ResolvedSource } from './schema.js';

/** A loaded, validated sources.yaml. */
export interface LoadedConfig {
  file: string;
  config: Config;
  sources: ResolvedSource[];
}

/**
 * Read and validate a sources.yaml. Throws `ConfigError` whose message is one line:
 * `sources.yaml:14 sources[2].render: expected "http", "browser" or "auto", got "chrome"`.
 * Further problems are counted in the message and listed in the hint.
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`${file}: no such file`, 'Create one (see README "sources.yaml"), or pass --workspace DIR.');
    }
    throw new ConfigError(`${file}: cannot read (${code ?? String(err)})`);
  }
  return parseConfig(text, file);
}

/** Validate sources.yaml text; `file` is used in messages only. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const rel = path.relative(process.cwd(), file);
  const display = rel && !rel.startsWith('..') ? rel : file;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lineCounter.linePos(openedAt(doc, e.pos[0])).line;
    const msg = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${display}:${line} ${msg}`);
  }
  const data: unknown = doc.toJS();
  const result = configSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.flatMap((issue) =>
      // One line per unknown key, each at its own line and with its own suggestion.
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => describeIssue({ ...issue, keys: [key] }, doc, lineCounter, display))
        : [describeIssue(issue, doc, lineCounter, display)],
    );
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
    // The further errors are errors too, not advice: cli.ts prints `details` as they are.
    throw new ConfigError(
      `${lines[0]!}${more}`,
      'Every field and value: README "sources.yaml", or the JSON Schema "eti schema" prints.',
      lines.slice(1),
    );
  }
  return { file, config: result.data, sources: resolveSources(result.data) };
}

/**
 * `file:line path` of a field in a sources.yaml (line of the deepest part of the path that
 * exists), for problems found after the schema passed: a webhook's secret variable that is not set.
 */
export async function configLocation(file: string, p: (string | number)[]): Promise<string> {
  const rel = path.relative(process.cwd(), file);
  const display = rel && !rel.startsWith('..') ? rel : file;
  let line: number | undefined;
  try {
    const lineCounter = new LineCounter();
    line = lineOf(parseDocument(await readFile(file, 'utf8'), { lineCounter }), p, lineCounter);
  } catch {
    line = undefined;
  }
  return `${display}${line === undefined ? '' : `:${line}`} ${formatPath(p)}`;
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, file: string): string {
  let p = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  let msg = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    p = [...p, key];
    const known = knownFields(issue.path.filter((k): k is string | number => typeof k !== 'symbol'));
    const guess = closest(
      key,
      known.filter((k) => k !== key),
    );
    msg = `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
  } else if (issue.code === 'invalid_value' && 'values' in issue) {
    const got = valueAt(doc, p);
    msg = `expected ${issue.values
      .map((v) => JSON.stringify(v))
      .join(', ')
      .replace(/, ([^,]*)$/, ' or $1')}, got ${JSON.stringify(got)}`;
  } else if (issue.code === 'invalid_type') {
    const got = valueAt(doc, p);
    msg = got === undefined ? `required ${issue.expected} is missing` : `expected ${issue.expected}, got ${JSON.stringify(got)}`;
  }
  const line = lineOf(doc, p, lc);
  return `${file}${line === undefined ? '' : `:${line}`} ${formatPath(p) || '(top level)'}: ${msg}`;
}

function valueAt(doc: Document, p: (string | number)[]): unknown {
  const node = doc.getIn(p, true);
  if (isScalar(node)) return node.value;
  if (isNode(node)) return node.toJSON();
  return node;
}

/** Line of the deepest node that exists along the path (a missing field points at its parent). */
function lineOf(doc: Document, p: (string | number)[], lc: LineCounter): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const sub = p.slice(0, n);
    const parent = n > 0 ? doc.getIn(sub.slice(0, -1), true) : undefined;
    // Prefer the key's position for a map entry, so "unknown field" points at the key.
    if (n > 0 && isMap(parent)) {
      const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === sub[n - 1]);
      if (pair && isScalar(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
    }
    const node = (n === 0 ? doc.contents : doc.getIn(sub, true)) as Node | undefined;
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/** `sources[2].render` */
export function formatPath(p: (string | number)[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

/**
 * Where the construct that a syntax error at `pos` belongs to was opened: an unclosed quote or
 * flow collection is only noticed where the file (or the block) ends, lines below the mistake.
 */
function openedAt(doc: Document, pos: number): number {
  let start = pos;
  visit(doc, (_key, node) => {
    const isOpenable =
      (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) || (isCollection(node) && node.flow === true);
    if (isOpenable && node.range && node.range[0] < pos && pos <= node.range[2] && node.range[0] < start) start = node.range[0];
  });
  return start;
}

let fieldsCache: Record<string, unknown> | undefined;

/** The field names the schema allows at `p` (for "did you mean"), from the published JSON Schema. */
function knownFields(p: (string | number)[]): string[] {
  let node = (fieldsCache ??= configJsonSchema()) as { properties?: Record<string, unknown>; items?: unknown } | undefined;
  for (const k of p) {
    node = (typeof k === 'number' ? node?.items : node?.properties?.[k]) as typeof node;
  }
  return Object.keys(node?.properties ?? {});
}
