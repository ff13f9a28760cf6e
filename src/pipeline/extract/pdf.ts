import type { ExtractResult, PageDates } from '../types.js';
import { langOfText } from './meta.js';
import { liftDateStamps, normalizeLine } from './text.js';
import { sha256 } from '../../hash.js';

/** Above this many pages only the first ones are read (a 900-page report is not a guide). */
const MAX_PAGES = 300;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** True when the bytes or the media type say PDF. */
export function isPdf(contentType: string, bytes?: Uint8Array): boolean {
  if (contentType === 'application/pdf' || contentType === 'application/x-pdf') return true;
  return !!bytes && bytes.length > 4 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46; // %PDF
}

/** The fields of pdf.js's TextItem this file uses. */
interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

/** `D:20250115093000+01'00'` → `2025-01-15`. */
function pdfDate(s: unknown): string | undefined {
  const m = typeof s === 'string' ? /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(s) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Running headers, footers and page numbers: lines that say nothing about the content. */
const PAGE_NUMBER = /^(?:(?:side|page|s\.)\s*)?\d{1,4}(?:\s*(?:av|\/|of)\s*\d{1,4})?$/i;

/**
 * The text of a PDF as paragraphs. pdfjs (Mozilla's PDF.js, legacy build for Node) gives text
 * runs with positions; runs on one baseline make a line, and a vertical gap larger than 1.6
 * line heights (or a new page) starts a paragraph. Page numbers and lines repeated on most
 * pages (running headers and footers) are dropped so they do not show up as changes.
 * Never throws: a broken or encrypted PDF is `{ ok: false, code: 'parse-error' }`.
 */
export async function extractPdf(bytes: Uint8Array, url: string): Promise<ExtractResult> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument } = await pdfjs;
  let doc: Awaited<ReturnType<typeof getDocument>['promise']> | undefined;
  try {
    // pdfjs takes ownership of (detaches) the buffer it is given: hand it a copy.
    doc = await getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
    const pages: Line[][] = [];
    for (let n = 1; n <= Math.min(doc.numPages, MAX_PAGES); n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageLines(content.items.flatMap((i) => ('str' in i ? [i as TextItem] : []))));
      page.cleanup();
    }
    const info = ((await doc.getMetadata().catch(() => undefined))?.info ?? {}) as Record<string, unknown>;
    const repeated = runningLines(pages.map((p) => p.map((l) => l.text)));
    const bodySize = medianHeight(pages.flat());
    const blocks = pages.flatMap((p) =>
      paragraphs(
        p.filter((l) => !PAGE_NUMBER.test(l.text) && !repeated.has(pageKey(l.text))),
        bodySize,
      ),
    );
    const paras = blocks.map((b) => b.text);
    const headings = new Set(blocks.filter((b) => b.isHeading).map((b) => b.text));
    const { lines, stamps, dates: stated } = liftDateStamps(paras);
    const text = lines.join('\n');
    if (text.trim() === '') return { ok: false, code: 'no-content', reason: 'the PDF has no extractable text (a scan without OCR?)' };
    const infoTitle = normalizeLine(String(info.Title ?? ''));
    const title =
      infoTitle && !/^(microsoft word|untitled|dokument\d*$)|\.(docx?|pdf)$/i.test(infoTitle) ? infoTitle : lines[0]!.slice(0, 200);
    const dates: PageDates = {};
    const modified = pdfDate(info.ModDate);
    const created = pdfDate(info.CreationDate);
    if (modified) dates.modified = modified;
    if (created) dates.published = created;
    return {
      ok: true,
      page: {
        url,
        title,
        lang: langOfText(text),
        text,
        markdown: lines.map((l) => (headings.has(l) ? `## ${l}` : l)).join('\n\n'),
        dates: { ...dates, ...stated },
        dateStamps: stamps,
        contentHash: sha256(text),
        method: 'pdf',
        links: [],
      },
    };
  } catch (err) {
    return { ok: false, code: 'parse-error', reason: `pdf.js could not read the PDF: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    await doc?.destroy().catch(() => undefined);
  }
}

interface Line {
  text: string;
  /** Baseline, from the bottom of the page. */
  y: number;
  /** Font height. */
  h: number;
}

/** Text runs of one page as lines: runs on one baseline make a line. */
function pageLines(items: TextItem[]): Line[] {
  const lines: Line[] = [];
  let cur: Line | undefined;
  for (const it of items) {
    const y = it.transform[5] ?? 0;
    if (!cur || Math.abs(cur.y - y) > Math.max(1, (it.height || cur.h) * 0.5)) {
      cur = { text: '', y, h: it.height || 10 };
      lines.push(cur);
    }
    cur.text += it.str;
    if (it.hasEOL) cur = undefined;
  }
  return lines.map((l) => ({ ...l, text: normalizeLine(l.text) })).filter((l) => l.text !== '');
}

/** The font height most text is set in. */
function medianHeight(lines: Line[]): number {
  const hs = lines.map((l) => l.h).sort((a, b) => a - b);
  return hs.length === 0 ? 10 : hs[Math.floor(hs.length / 2)]!;
}

/**
 * Lines of one page joined into paragraphs: a gap over 1.6 line heights or a change of font size
 * starts a new one. A short paragraph set larger than the body text is a heading.
 */
function paragraphs(lines: Line[], bodySize: number): { text: string; isHeading: boolean }[] {
  const out: { text: string; isHeading: boolean }[] = [];
  let para: Line[] = [];
  const flush = (): void => {
    if (para.length === 0) return;
    const text = normalizeLine(para.map((l) => l.text).join(' '));
    const isHeading = para[0]!.h > bodySize * 1.15 && text.length <= 150 && !/[.:;,]$/.test(text);
    if (text) out.push({ text, isHeading });
    para = [];
  };
  for (const l of lines) {
    const prev = para[para.length - 1];
    const gap = prev ? prev.y - l.y : 0;
    if (prev && (gap > prev.h * 1.6 || gap < 0 || Math.abs(prev.h - l.h) > 0.5)) flush();
    para.push(l);
  }
  flush();
  return out;
}

/** A line with its numbers blanked: "Side 1 av 2" and "Side 2 av 2" are the same running footer. */
function pageKey(line: string): string {
  return line.replace(/\d+/g, '#');
}

/** Short lines on more than half of the pages (and on two at least): running headers and footers. */
function runningLines(pages: string[][]): Set<string> {
  const out = new Set<string>();
  if (pages.length < 2) return out;
  const count = new Map<string, number>();
  for (const p of pages) for (const l of new Set(p.map(pageKey))) if (l.length <= 120) count.set(l, (count.get(l) ?? 0) + 1);
  for (const [l, c] of count) if (c > pages.length / 2) out.add(l);
  return out;
}
