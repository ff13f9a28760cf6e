/**
 * The Turndown configuration eti used for its Markdown until src/pipeline/extract/markdown.ts got its
 * own serializer: ATX headings, "-" bullets, fenced code, `_` emphasis, GitHub tables and eti's rules
 * (layout tables, details/summary, block links, self-numbered items, definition lists, heading
 * buttons, removed tags), kept verbatim as the oracle the serializer must match byte for byte
 * (test/pipeline/markdown.test.ts). Test-only: Turndown clones and mutates and is several times slower.
 */
import TurndownService from 'turndown';

function cell(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/** A data table as a GitHub Markdown table; the first row is the header. */
function tableMarkdown(table: Element): string {
  const rows = [...table.querySelectorAll('tr')].filter((tr) => tr.closest('table') === table);
  const grid = rows
    .map((tr) => [...tr.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH').map(cell))
    .filter((r) => r.length > 0);
  if (grid.length === 0) return '';
  const width = Math.max(...grid.map((r) => r.length));
  const pad = (r: string[]): string[] => [...r, ...Array<string>(width - r.length).fill('')];
  const [head, ...body] = grid;
  const line = (r: string[]): string => `| ${pad(r).join(' | ')} |`;
  const caption = table.querySelector('caption');
  const title = caption && caption.closest('table') === table ? `${cell(caption)}\n\n` : '';
  return `\n\n${title}${line(head!)}\n|${' --- |'.repeat(width)}\n${body.map(line).join('\n')}\n\n`;
}

let service: TurndownService | undefined;

const BLOCKS = new Set(['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'P', 'DIV', 'UL', 'OL', 'TABLE', 'SECTION', 'ARTICLE', 'BLOCKQUOTE', 'DL']);

/** Whether an element holds a block element (a plain walk: jsdom's selector engine is slow per call). */
function holdsBlock(el: Element): boolean {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (BLOCKS.has(c.tagName) || holdsBlock(c)) return true;
  return false;
}

/** One configured Turndown (ATX headings, "-" bullets, fenced code, GitHub tables), reused. */
function turndown(): TurndownService {
  if (service) return service;
  service = new TurndownService({ headingStyle: 'atx', bulletListMarker: '-', codeBlockStyle: 'fenced', emDelimiter: '_' });
  service.addRule('table', {
    filter: 'table',
    // A table holding another table is layout: keep its content, not a grid.
    replacement: (content, node) => ((node as Element).querySelector('table') ? `\n\n${content}\n\n` : tableMarkdown(node as Element)),
  });
  service.addRule('layout-cells', {
    filter: (node) => ['TD', 'TH', 'TR', 'TBODY', 'THEAD', 'TFOOT', 'CAPTION'].includes(node.nodeName),
    replacement: (content) => `\n${content}\n`,
  });
  service.addRule('details-summary', { filter: 'summary', replacement: (content) => `\n\n**${content.trim()}**\n\n` });
  // A link around blocks (a card: heading and teaser in one <a>) would give "[\n\n### x\n\n](url)":
  // the blocks stay as they are and the link goes on the first line.
  service.addRule('block-link', {
    filter: (node) => node.nodeName === 'A' && node.hasAttribute('href') && holdsBlock(node),
    replacement: (content, node) => {
      const href = (node as Element).getAttribute('href') ?? '';
      const lines = content.trim().split('\n');
      const i = lines.findIndex((l) => l.trim() !== '');
      if (i < 0) return '';
      const m = /^(\s*#{1,6}\s+)?(.*)$/.exec(lines[i]!)!;
      lines[i] = `${m[1] ?? ''}[${m[2]!.trim()}](${href})`;
      return `\n\n${lines.join('\n')}\n\n`;
    },
  });
  // Law texts (Lovdata) number their list items themselves: "<li><span>1.</span> opplæring": one
  // number, not "1.  1. opplæring".
  service.addRule('self-numbered-item', {
    filter: (node) =>
      node.nodeName === 'LI' && node.parentElement?.nodeName === 'OL' && /^\s*(?:\d+|[a-zæøå])[.)]\s/i.test(node.textContent ?? ''),
    replacement: (content) => `${content.trim().replace(/^(\d+)\\\./, '$1.')}\n`,
  });
  // Definition lists: the term in bold, the definition as its paragraph.
  service.addRule('definition-term', { filter: 'dt', replacement: (content) => `\n\n**${content.trim()}**\n` });
  service.addRule('definition', { filter: 'dd', replacement: (content) => `\n${content.trim()}\n\n` });
  // An accordion's question is often a <button> inside a heading: keep its words, drop other buttons.
  service.addRule('heading-button', {
    filter: (node) => node.nodeName === 'BUTTON' && node.closest('h1, h2, h3, h4, h5, h6, summary, dt') !== null,
    replacement: (content) => content,
  });
  service.remove(['script', 'style', 'noscript', 'button', 'input', 'select', 'textarea']);
  return service;
}

/** Markdown of an element as Turndown gives it (the oracle for `toMarkdown`). */
export function turndownMarkdown(root: Element): string {
  return turndown()
    .turndown(root as unknown as HTMLElement)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
