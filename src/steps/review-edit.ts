/**
 * The editor-facing text formats of `eti review`: the edit document (`eti review edit`,
 * `--summary-file`) with one section per publishable field, and `--override CLAIM=REASON`.
 */
import { UsageError } from '../errors.js';

const FIELD_HEADING = /^## ([A-Za-z][A-Za-z0-9]*)[ \t]*$/;

/**
 * The edit document of `eti review edit` (and `--summary-file`): the summary first, then a
 * "## field" heading before each other field's text (lists one item per line). A text without
 * headings is the summary alone. Lines starting with "# " are comments. A heading twice, or an
 * unknown form, is an error naming the line.
 */
export function parseFieldsDocument(text: string, file: string): Record<string, string> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Record<string, string> = {};
  let field = 'summary';
  let lead = '';
  lines.forEach((line, i) => {
    const m = FIELD_HEADING.exec(line);
    if (m) {
      field = m[1]!;
      if (field in out || (field === 'summary' && lead.trim())) throw new UsageError(`${file}:${i + 1}: field "${field}" appears twice`);
      out[field] = '';
      return;
    }
    if (line.startsWith('# ') || line === '#') return;
    if (field === 'summary' && !('summary' in out)) lead += `${line}\n`;
    else out[field] += `${line}\n`;
  });
  if (lead.trim()) out.summary = lead;
  return out;
}

/** The edit document for an item's current texts (see `parseFieldsDocument`). */
export function fieldsDocument(texts: Record<string, string>): string {
  const { summary = '', ...rest } = texts;
  const help = [
    '# Over: sammendraget. Under: de andre feltene, hvert etter sin «## felt»-overskrift. Linjer som begynner med «# », leses ikke.',
    '# Lister (keyFacts, deadlines, contacts): ett punkt per linje. Hver setning kontrolleres mot kilden på nytt.',
  ];
  return [summary, '', ...help, ...Object.entries(rest).flatMap(([f, t]) => [`## ${f}`, t, ''])].join('\n');
}

/** `--override REF=REASON` (REF `field.index` or `ITEM:field.index`); anything else is one reason for a summary without claims. */
export function parseOverrides(values: readonly string[] | undefined): { overrides: { ref: string; reason: string }[]; legacy?: string } {
  const overrides: { ref: string; reason: string }[] = [];
  let legacy: string | undefined;
  for (const v of values ?? []) {
    const m = /^((?:[0-9a-f]{4,}:)?[A-Za-z][A-Za-z0-9]*\.\d+)=([\s\S]*)$/.exec(v);
    if (!m) {
      legacy = v;
      continue;
    }
    if (!m[2]!.trim()) throw new UsageError(`--override ${m[1]}: the reason is empty`);
    overrides.push({ ref: m[1]!, reason: m[2]!.trim() });
  }
  return { overrides, ...(legacy === undefined ? {} : { legacy }) };
}
