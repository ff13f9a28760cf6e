/**
 * A minimal PDF writer for tests: one page per entry of `pages`, each a list of text lines in
 * Helvetica with WinAnsiEncoding (so æøå and other Latin-1 letters are real characters, not
 * glyph tricks), plus an Info dictionary. Enough for pdfjs to parse; not a general PDF library.
 */
export function makePdf(pages: string[][], info: { title?: string; modDate?: string } = {}): Buffer {
  const esc = (s: string): string => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const lines of pages) {
    // A line starting with "# " is a heading, set in 16 pt; the rest in 12 pt.
    const ops = lines
      .map((l, i) => `BT /F1 ${l.startsWith('# ') ? 16 : 12} Tf 72 ${760 - i * 18} Td (${esc(l.replace(/^# /, ''))}) Tj ET`)
      .join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  // Info strings in UTF-16BE with a byte-order mark, as producers write non-Latin-1 titles.
  const utf16 = (t: string): string => `<FEFF${[...t].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}>`;
  const infoParts = [info.title ? `/Title ${utf16(info.title)}` : '', info.modDate ? `/ModDate (${info.modDate})` : ''].join(' ');
  const infoObj = add(`<< ${infoParts} >>`);
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoObj} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
