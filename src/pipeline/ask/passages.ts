/**
 * What `eti ask` may answer from: the approved, verified claims of a published bundle, each with
 * the source spans it rests on. Nothing else of the bundle is read as evidence: a claim the
 * verifier did not support (even one an editor published with an override) is left out, and so is
 * a span that speaks to a model («Ignorer alle tidligere instruksjoner …»), so no answer can rest
 * on it. Pure but for `readBundle`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { type Bundle, bundleSchema } from '../publish/index.js';
import { normalizeText } from '../verify/index.js';
import type { Span } from '../types.js';
import { findInstruction } from '../verify/index.js';
import { sentencesOf, toLines } from '../verify/index.js';

/** One approved sentence (a supported claim) of a page, with its spans. */
export interface Passage {
  /** `<slug>#<claim ref>`: unique in a bundle. */
  id: string;
  slug: string;
  url: string;
  title: string;
  owner: string;
  /** The approved claim text (a sentence or a few, as published). */
  text: string;
  /** The claim's spans that carry no instruction to a model; at least one. */
  spans: Span[];
}

/** A page of the bundle, for "nearest pages". */
export interface PageRef {
  slug: string;
  url: string;
  title: string;
  owner: string;
}

/** Read and validate `<dir>/bundle.json`; a missing or invalid file is a one-line usage error naming it. */
export async function readBundle(dir: string): Promise<Bundle> {
  const file = path.join(dir, 'bundle.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: no bundle here`, 'Run "eti publish" first, or name a bundle folder with --bundle DIR.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Whether any sentence of a span's quote speaks to a model (a page asking a family for a personal number does not). */
function isInstructionSpan(quote: string): boolean {
  return toLines(quote).some((line) => sentencesOf(line).some((s) => findInstruction(s, quote) !== null));
}

/**
 * The passages of a bundle's pages for one audience (all pages when `audience` is undefined), in
 * bundle order: each supported claim once per page (a key fact repeating a summary sentence is one
 * passage), with its spans that carry no instruction. Claims left without spans are dropped.
 */
export function passagesOf(bundle: Bundle, audience?: string): { passages: Passage[]; pages: PageRef[] } {
  const passages: Passage[] = [];
  const pages: PageRef[] = [];
  for (const page of bundle.pages) {
    if (audience !== undefined && page.audience !== audience) continue;
    pages.push({ slug: page.slug, url: page.url, title: page.title, owner: page.owner });
    const seen = new Set<string>();
    for (const claim of page.claims ?? []) {
      if (claim.verdict !== 'supported' || claim.override) continue;
      const text = normalizeText(claim.text);
      if (text === '' || seen.has(text)) continue;
      seen.add(text);
      const spans = claim.spans.filter((s) => !isInstructionSpan(s.quote));
      if (spans.length === 0) continue;
      passages.push({ id: `${page.slug}#${claim.ref}`, slug: page.slug, url: page.url, title: page.title, owner: page.owner, text, spans });
    }
  }
  return { passages, pages };
}
