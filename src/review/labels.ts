/**
 * Norwegian words for what the pipeline stores in English: the classifier's reasons
 * (`pipeline/diff/classify.ts` writes "figure 8 232 → 8 580", "12 words added, 3 removed", "page
 * removed") and ISO times. Translated here, at the edge where editors read them, so stored data
 * and the CLI stay as they are. Pure and deterministic.
 */

/** Reason patterns the classifier writes, each with its bokmål wording. The first that matches wins. */
const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^new page$/, () => 'ny side'],
  [/^page removed$/, () => 'siden er fjernet'],
  [/^section added: (.*)$/s, (m) => `nytt avsnitt: «${m[1]}»`],
  [/^section removed: (.*)$/s, (m) => `avsnitt fjernet: «${m[1]}»`],
  [/^figure added: (.*)$/s, (m) => `tall lagt til: ${m[1]}`],
  [/^figure removed: (.*)$/s, (m) => `tall fjernet: ${m[1]}`],
  [/^figure (.*) → (.*)$/s, (m) => `tall endret: ${m[1]} → ${m[2]}`],
  [/^amount (.*) → (.*)$/s, (m) => `beløp endret: ${m[1]} → ${m[2]}`],
  [/^added "(.*)"$/s, (m) => `ordet «${m[1]}» er lagt til`],
  [/^removed "(.*)"$/s, (m) => `ordet «${m[1]}» er fjernet`],
  [/^only case, punctuation or spacing changed$/, () => 'bare store/små bokstaver, tegnsetting eller mellomrom er endret'],
  [/^(\d+) words? added, (\d+) removed$/, (m) => `${m[1]} ord lagt til, ${m[2]} fjernet`],
  [/^previous text not in the store$/, () => 'forrige tekst finnes ikke i lageret'],
];

/**
 * One classifier reason in bokmål. A reason this table does not know (written by a newer
 * classifier) is shown as «endring: …» with its own text, so nothing is hidden from the editor.
 */
export function reasonLabel(reason: string): string {
  for (const [re, say] of REASONS) {
    const m = re.exec(reason);
    if (m) return say(m);
  }
  return `endring: ${reason}`;
}

/** Re-exported: the audit report (pipeline) uses the same time format. */
export { osloTime } from '../pipeline/publish/index.js';
