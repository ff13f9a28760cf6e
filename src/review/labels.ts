/**
 * Norwegian words for what the pipeline stores in English: the classifier's reasons
 * (`pipeline/classify.ts` writes "figure 8 232 → 8 580", "12 words added, 3 removed", "page
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

const OSLO = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * An ISO time as Norwegian local time in Europe/Oslo, `02.11.2026 kl. 09:00` (summer time
 * included); the text as it is when it is not a time. Deterministic: it depends on the instant only.
 */
export function osloTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = Object.fromEntries(OSLO.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} kl. ${p.hour}:${p.minute}`;
}
