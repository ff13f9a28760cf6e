import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { sha256 } from '../store/blobs.js';

/** The prompt templates of a workspace, and their combined hash (part of every cache key). */
export interface PromptSet {
  dir: string;
  /** Template text by file name without `.md` (`summary.system`, `summary.user`, `change.user`). */
  templates: Record<string, string>;
  /** sha256 over every template's name and text, in name order. */
  hash: string;
}

export const REQUIRED_TEMPLATES = ['summary.system', 'summary.user', 'change.user'] as const;

/** Read every `*.md` template in `dir`. A missing folder or template is a ConfigError naming it. */
export async function loadPrompts(dir: string): Promise<PromptSet> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  } catch {
    throw new ConfigError(`${dir}: no prompts folder`, 'Copy prompts/ from the eti package into the workspace.');
  }
  const templates: Record<string, string> = {};
  for (const f of files) templates[f.slice(0, -3)] = await readFile(path.join(dir, f), 'utf8');
  for (const name of REQUIRED_TEMPLATES) {
    if (templates[name] === undefined) throw new ConfigError(`${path.join(dir, `${name}.md`)}: missing prompt template`);
  }
  const hash = sha256(Object.keys(templates).map((k) => `${k}\n${templates[k]}`).join('\n\u0000\n'));
  return { dir, templates, hash };
}

/** Fill `{{name}}` placeholders; a placeholder without a value is an error naming the template. */
export function render(set: PromptSet, name: string, vars: Record<string, string>): string {
  const template = set.templates[name];
  if (template === undefined) throw new ConfigError(`${path.join(set.dir, `${name}.md`)}: missing prompt template`);
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/gi, (_, key: string) => {
    const v = vars[key];
    if (v === undefined) throw new ConfigError(`${path.join(set.dir, `${name}.md`)}: unknown placeholder {{${key}}}`);
    return v;
  });
}
