import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { sha256 } from '../hash.js';
import type { Audience, Language } from './provider.js';

/** The prompt templates of a workspace. Cache keys use `promptHash` (the templates one audience and language use). */
export interface PromptSet {
  dir: string;
  /** Template text by file name without `.md` (`summary.system`, `summary.user`, `change.user`). */
  templates: Record<string, string>;
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
  return { dir, templates };
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

/**
 * Bumped when the structured output asked of providers changes (fields of the tool schema), so
 * summaries in the old shape are not served from the cache. Part of every prompt hash.
 */
export const SUMMARY_FORMAT = 'summary-v2';

/**
 * The template used for `name` for an audience and written standard: the most specific of
 * `name.audience.language`, `name.audience`, `name.language` and `name` that exists
 * (`summary.system.youth` for youth, else `summary.system`).
 */
export function templateName(set: PromptSet, name: string, audience: Audience, language: Language): string {
  for (const candidate of [`${name}.${audience}.${language}`, `${name}.${audience}`, `${name}.${language}`]) {
    if (set.templates[candidate] !== undefined) return candidate;
  }
  return name;
}

/**
 * The prompt hash of summaries for one audience and written standard: sha256 over the output
 * format and the name and text of each template used, plus the audience and language. This is
 * the `promptHash` in every summary cache key, so editing a youth prompt re-summarises only the
 * sources written for youth.
 */
export function promptHash(set: PromptSet, audience: Audience, language: Language): string {
  const names = REQUIRED_TEMPLATES.map((n) => templateName(set, n, audience, language));
  return sha256([SUMMARY_FORMAT, audience, language, ...names.map((k) => `${k}\n${set.templates[k]}`)].join('\n\u0000\n'));
}
