import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The house's size rules (issue 12, ARCHITECTURE.md "Layers"): no file in src/ over 400 lines and
// no function over 80. What is over today is listed, so nothing new can grow past the limits and
// each entry must go (the test fails on a listed entry that is now within them) as it is split.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const KNOWN_LONG_FILES: string[] = [];

const KNOWN_LONG_FUNCTIONS: string[] = [];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/** `file name` of every function (declaration, method, arrow, expression) longer than `max` lines. */
export function longFunctions(file: string, text: string, max: number): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const nameOf = (node: ts.Node): string => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText(source);
    if (ts.isConstructorDeclaration(node)) return 'constructor';
    const parent = node.parent;
    if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)))
      return parent.name.getText(source);
    return '(anonymous)';
  };
  const visit = (node: ts.Node): void => {
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isConstructorDeclaration(node);
    if (isFunction && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      if (last - first + 1 > max) out.push(`${file} ${nameOf(node)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('size rules', () => {
  const files = walk(SRC).map((abs) => ({ file: relative(SRC, abs).split('\\').join('/'), text: readFileSync(abs, 'utf8') }));

  it('measures what it should (the walker and the function finder work)', () => {
    expect(files.length).toBeGreaterThan(40);
    const long = `function f() {\n${'  x();\n'.repeat(90)}}\nconst g = () => {\n  y();\n};\n`;
    expect(longFunctions('a.ts', long, 80)).toEqual(['a.ts f']);
  });

  it(`no file in src/ over ${MAX_FILE_LINES} lines beyond the listed debts`, () => {
    const long = files.filter((f) => lineCount(f.text) > MAX_FILE_LINES).map((f) => f.file);
    expect(long.sort()).toEqual([...KNOWN_LONG_FILES].sort());
  });

  it(`no function in src/ over ${MAX_FUNCTION_LINES} lines beyond the listed debts`, () => {
    const long = files.flatMap((f) => longFunctions(f.file, f.text, MAX_FUNCTION_LINES));
    expect([...new Set(long)].sort()).toEqual([...KNOWN_LONG_FUNCTIONS].sort());
  });

  it('ARCHITECTURE.md has a line for every file in src/ (one line per file, by folder)', () => {
    const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const undocumented = files.map((f) => `src/${f.file}`).filter((f) => !doc.includes(`| \`${f}\` |`));
    expect(undocumented).toEqual([]);
  });
});
