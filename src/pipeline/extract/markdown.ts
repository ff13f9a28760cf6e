import TurndownService from 'turndown';

function cell(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

/** A data table as a GitHub Markdown table; the first row is the header. */
function tableMarkdown(table: Element): string {
  const rows = [...table.querySelectorAll('tr')].filter((tr) => tr.closest('table') === table);
  const grid = rows.map((tr) => [...tr.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH').map(cell)).filter((r) => r.length > 0);
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
  service.remove(['script', 'style', 'noscript', 'button', 'input', 'select', 'textarea']);
  return service;
}

/** Markdown of an element; links must already be absolute. */
export function toMarkdown(root: Element): string {
  return turndown()
    .turndown(root as unknown as HTMLElement)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
