import type { ResolvedSource } from '../../config/schema.js';
import type { ExtractOptions } from './extract.js';
import { extractInline, type Extractor } from './pool.js';
import type { ExtractResult } from '../types.js';
import { extractPdf } from './pdf.js';

/** The extraction options a source asks for (its `content_selector`, `remove`, `min_text_chars`). */
export function extractOptionsFor(source: ResolvedSource | undefined, url: string): ExtractOptions {
  if (!source) return { url };
  return {
    url,
    ...(source.content_selector ? { contentSelector: source.content_selector } : {}),
    remove: source.remove,
    ...(source.ignore_selectors.length > 0 ? { ignoreSelectors: source.ignore_selectors } : {}),
    minTextChars: Math.min(200, source.min_text_chars),
  };
}

/**
 * Extract one document, whatever it is: PDF bytes (`raw`) through pdf.js, HTML through `extractor`
 * (the worker pool in a crawl, this thread by default). The one entry point for the crawl and
 * `eti extract`, so both read a page the same way.
 */
export function extractDocument(
  doc: { body: string; raw?: Uint8Array },
  opts: ExtractOptions,
  extractor: Extractor = extractInline,
): Promise<ExtractResult> {
  return doc.raw ? extractPdf(doc.raw, opts.url) : extractor(doc.body, opts);
}
