/**
 * The claims panel of the review page (Norwegian bokmål): each claim of the text now shown (the
 * editor's edits included, verified again) beside the source spans it cites, unsupported claims
 * with their reasons and, on a pending item, a reason field per unsupported claim and an edit box
 * per field. Its banner always describes the text now shown. Pure; all page text escaped.
 */
import { escapeHtml as e } from '../pipeline/publish/index.js';
import type { Claim } from '../pipeline/types.js';

/** Field names in the editors' words. */
export const FIELD_LABEL: Record<string, string> = {
  summary: 'Sammendrag',
  changeSummary: 'Hva er endret',
  keyFacts: 'Nøkkelfakta (ett per linje)',
  appliesTo: 'Gjelder for',
  howToApply: 'Slik søker du',
  deadlines: 'Frister (én per linje)',
  contacts: 'Kontakt (én per linje)',
};

/** CSS the panel needs (added to the page's own style element). */
export const CLAIMS_CSS = `
table.claims{width:100%;table-layout:fixed;background:#fff}table.claims td,table.claims th{border-bottom:1px solid #ddd}
table.claims tr.unsupported td{background:#fff0f0}blockquote.span{margin:0 0 .3rem;padding:0 .5rem;border-left:3px solid #889;white-space:pre-wrap}
`;

const VERDICT_LABEL: Record<Claim['verdict'], string> = {
  supported: 'bekreftet',
  unsupported: 'ikke bekreftet',
  'not-checkable': 'kan ikke kontrolleres',
};

/** «Kontroll: …» for exactly the claims of the text shown; never green when one is unsupported. */
export function claimsBanner(claims: readonly Claim[], opts: { isEdited: boolean }): string {
  const bad = claims.filter((c) => c.verdict === 'unsupported');
  const what = opts.isEdited ? 'den redigerte teksten som vises' : 'teksten som vises';
  if (claims.length === 0) return `<p class="warning">Kontroll: ${what} har ingen påstander som kan kontrolleres.</p>`;
  if (bad.length === 0)
    return `<p class="ok">Kontroll av ${what}: alle ${claims.length} påstander er bekreftet av kildeutdragene de viser til.</p>`;
  return `<div class="warning"><strong>Advarsel: ${bad.length} av ${claims.length} påstander i ${what} er ikke bekreftet av kilden.</strong> Rett teksten, eller skriv en begrunnelse for hver påstand som skal publiseres likevel.</div>`;
}

/** A judge's second opinion on one claim, as the review page shows it (never the gate). */
export interface JudgeNote {
  verdict: Claim['verdict'];
  reason: string;
  provider: string;
  model: string;
}

function judgeNote(j: JudgeNote | undefined): string {
  if (!j) return '';
  const who = j.provider === 'offline' ? 'offline, uten KI' : `KI-modell ${j.model}, ikke avgjørende`;
  return `<p class="judge muted">Andre vurdering (${e(who)}): ${VERDICT_LABEL[j.verdict]}. ${e(j.reason)}</p>`;
}

/**
 * The table of claims beside their source spans; with `canOverride`, a reason field per unsupported
 * claim (`override:field.index`); with `judgements`, the judge's note under the verifier's verdict.
 */
export function claimsTable(claims: readonly Claim[], opts: { canOverride: boolean; judgements?: Record<string, JudgeNote> }): string {
  if (claims.length === 0) return '';
  const rows = claims.map((c) => {
    const ref = `${c.field}.${c.index}`;
    const spans =
      c.spans.length > 0
        ? c.spans.map((s) => `<blockquote class="span">${e(s.quote)}</blockquote>`).join('')
        : '<span class="muted">Ingen kilde funnet på siden.</span>';
    const reasons = c.findings.length > 0 ? `<ul>${c.findings.map((f) => `<li>${e(f.reason)}</li>`).join('')}</ul>` : '';
    const override =
      opts.canOverride && c.verdict === 'unsupported'
        ? `<label>Begrunnelse for å publisere likevel <input type="text" name="override:${e(ref)}"></label>`
        : '';
    return `<tr class="${c.verdict === 'unsupported' ? 'unsupported' : ''}"><td>${e(FIELD_LABEL[c.field] ?? c.field)} ${c.index + 1}</td><td>${e(c.text)}</td><td>${spans}</td><td>${VERDICT_LABEL[c.verdict]}${reasons}${judgeNote(opts.judgements?.[ref])}${override}</td></tr>`;
  });
  return `<table class="claims"><thead><tr><th>Felt</th><th>Påstand</th><th>Kilde på siden</th><th>Kontroll</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

/** The panel shown under the summary: banner and table (read-only). */
export function claimsSection(claims: readonly Claim[], opts: { isEdited: boolean; judgements?: Record<string, JudgeNote> }): string {
  const table = claimsTable(claims, { canOverride: false, ...(opts.judgements ? { judgements: opts.judgements } : {}) });
  return `<section><h2>Påstander og kilder</h2>${claimsBanner(claims, opts)}${table}</section>`;
}

/**
 * Inside the approve form: an edit box per field other than the summary (`field:<name>`) and a
 * reason field per unsupported claim (`override:<field.index>`).
 */
export function claimsFormFields(
  claims: readonly Claim[],
  fieldTexts: Record<string, string> | undefined,
  drafts: Record<string, string> = {},
): string {
  const boxes = Object.entries(fieldTexts ?? {})
    .filter(([f]) => f !== 'summary')
    .map(
      ([f, t]) =>
        `<label for="field-${e(f)}">${e(FIELD_LABEL[f] ?? f)}</label><textarea id="field-${e(f)}" name="field:${e(f)}">${e(drafts[f] ?? t)}</textarea>`,
    )
    .join('\n');
  const bad = claims.filter((c) => c.verdict === 'unsupported');
  const overrides = bad.length > 0 ? `<h3>Påstander som ikke er bekreftet</h3>${claimsTable(bad, { canOverride: true })}` : '';
  return `${boxes}\n${overrides}`;
}
