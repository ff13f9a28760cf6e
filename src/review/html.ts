/**
 * The editors' review pages (Norwegian bokmål), as plain server-rendered HTML with forms; the
 * one script (remembering the reviewer's name in this browser) is an enhancement the page works
 * without. Pure: data in, HTML string out. Every page-derived string is escaped here
 * (`escapeHtml` / `highlightSpans`); nothing else builds markup from page text. Responsive down
 * to 375 px: the queue and the log stack their cells, the diff puts old above new.
 */
import { escapeHtml as e, highlightSpans, renderSideBySideHtml } from '../pipeline/publish/index.js';
import type { Refusal } from '../pipeline/review/index.js';
import type { ChangeClass, Claim, GroundingIssue, ReviewItem, Summary } from '../pipeline/types.js';
import type { ReviewLogEntry } from '../store/records.js';
import { ageDays, CHANGE_CLASSES, classOf, currentSummaryText, ITEM_KINDS } from './items.js';
import { claimsBanner, claimsFormFields, claimsSection, type JudgeNote } from './claims-html.js';
import { osloTime, reasonLabel } from './labels.js';
import { CSS, REMEMBER_NAME } from './style.js';

export const CLASS_LABEL: Record<ChangeClass, string> = { material: 'vesentlig', wording: 'ordlyd', cosmetic: 'kosmetisk' };
export const KIND_LABEL: Record<ReviewItem['kind'], string> = { new: 'ny side', changed: 'endret', removed: 'fjernet' };
const STATUS_LABEL: Record<ReviewItem['status'], string> = {
  pending: 'venter',
  approved: 'godkjent',
  rejected: 'avvist',
  superseded: 'erstattet av nyere',
};
const ACTION_LABEL: Record<ReviewLogEntry['action'], string> = {
  created: 'opprettet',
  approved: 'godkjent',
  rejected: 'avvist',
  edited: 'redigert',
  superseded: 'erstattet',
};
const WHERE_LABEL: Record<GroundingIssue['where'], string> = {
  summary: 'sammendraget',
  keyFacts: 'nøkkelfakta',
  appliesTo: 'gjelder for',
  howToApply: 'slik søker du',
  deadlines: 'frister',
  contacts: 'kontakt',
  changeSummary: 'hva er endret',
};

export function layout(
  title: string,
  body: string,
  opts: { nonce: string; query?: string; isStatic?: boolean; hasNameField?: boolean },
): string {
  const q = opts.query ?? '';
  const nav = opts.isStatic
    ? '<header>eti</header>'
    : `<header><nav aria-label="Hovedmeny"><a href="/${q}">Til vurdering</a><a href="/log${q}">Logg</a></nav></header>`;
  const script = opts.hasNameField && !opts.isStatic ? `<script nonce="${e(opts.nonce)}">${REMEMBER_NAME}</script>` : '';
  return `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} – eti</title><style nonce="${e(opts.nonce)}">${CSS}</style></head>
<body><a class="skip" href="#main">Hopp til innholdet</a>${nav}<main id="main">
${body}
</main>${script}</body></html>
`;
}

/** A refused decision or edit in the editors' words (plain text; escaped where it is shown). */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'not-pending':
      return `Saken er allerede ${STATUS_LABEL[r.status]}${r.by ? ` (av ${r.by}${r.at ? ` ${osloTime(r.at)}` : ''})` : ''}: bare saker som venter, kan avgjøres eller redigeres.${r.status === 'superseded' ? ' Siden er endret igjen; vurder den nyeste saken.' : ''}`;
    case 'no-summary':
      return r.isRemoved
        ? 'Siden er fjernet og har ikke noe sammendrag å redigere.'
        : 'Saken har ikke noe sammendrag ennå. Kjør «eti summarize» først.';
    case 'ungrounded':
      return `Sammendraget sier ${r.spans.map((s) => `«${s}»`).join(', ')}, som siden ikke støtter. Rett teksten, eller skriv en begrunnelse for å overstyre kontrollen.`;
    case 'empty-summary':
      return 'Teksten er tom. Ingenting ble lagret.';
    case 'edit-conflict':
      return 'Noen andre endret sammendraget mens du redigerte. Ingenting ble lagret; rediger på nytt.';
    case 'no-reason':
      return 'Skriv en begrunnelse for avvisningen.';
  }
}

/** "i dag", "1 dag", "5 dager". */
export function ageLabel(days: number): string {
  return days === 0 ? 'i dag' : days === 1 ? '1 dag' : `${days} dager`;
}

function options<T extends string>(values: readonly T[], chosen: string | undefined, label: (v: T) => string): string {
  return [
    '<option value="">alle</option>',
    ...values.map((v) => `<option value="${e(v)}"${v === chosen ? ' selected' : ''}>${e(label(v))}</option>`),
  ].join('');
}

/** One row of the queue page. */
export interface QueueRow {
  item: ReviewItem;
  title: string;
  isGrounded: boolean;
}

/** Rows per page of the queue: a page stays quick to build and to read at 50,000 pending items. */
export const QUEUE_PAGE_SIZE = 100;

/** "Viser 101–200 av 5 000" with links to the pages before and after, filters kept. */
function pager(filters: Record<string, string | undefined>, page: number, total: number, size: number): string {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages === 1) return '';
  const href = (n: number): string => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k === 'changeClass' ? 'class' : k, v);
    q.set('page', String(n));
    return `/?${q.toString()}`;
  };
  const from = (page - 1) * size + 1;
  const to = Math.min(total, page * size);
  const nb = (n: number): string => n.toLocaleString('nb-NO');
  const prev = page > 1 ? `<a href="${e(href(Math.min(page - 1, pages)))}" rel="prev">← Forrige</a>` : '';
  const next = page < pages ? `<a href="${e(href(page + 1))}" rel="next">Neste →</a>` : '';
  const shown =
    from <= total
      ? `Viser ${nb(from)}–${nb(to)} av ${nb(total)} (side ${page} av ${pages}).`
      : `Side ${page} finnes ikke: det er ${pages} sider.`;
  return `<p class="pager">${shown} ${prev} ${next}</p>`;
}

/**
 * The pending queue with its filter form, one page of it. `rows` are that page's rows, already
 * filtered and sorted; `total` counts every item the filters select (default: the rows), in pages
 * of `pageSize` (default `QUEUE_PAGE_SIZE`).
 */
export function queuePage(
  rows: readonly QueueRow[],
  opts: {
    sources: readonly string[];
    /** Source names from sources.yaml by id; an id without one is shown as it is. */
    sourceNames?: ReadonlyMap<string, string>;
    filters: { source?: string; changeClass?: string; kind?: string };
    now: Date;
    nonce: string;
    page?: number;
    total?: number;
    pageSize?: number;
    topics?: string; // the topic pages waiting, above the queue (review/topics.ts)
  },
): string {
  const f = opts.filters;
  const name = (id: string): string => opts.sourceNames?.get(id) ?? id;
  const total = opts.total ?? rows.length;
  const nav = pager(f, opts.page ?? 1, total, opts.pageSize ?? QUEUE_PAGE_SIZE);
  const form = `<form method="get" action="/">
<label>Kilde <select name="source">${options(opts.sources, f.source, name)}</select></label>
<label>Klasse <select name="class">${options(CHANGE_CLASSES, f.changeClass, (c) => CLASS_LABEL[c])}</select></label>
<label>Type <select name="kind">${options(ITEM_KINDS, f.kind, (k) => KIND_LABEL[k])}</select></label>
<button type="submit">Filtrer</button></form>`;
  const body =
    rows.length === 0
      ? total > 0
        ? `<p>Denne siden er tom.</p>${nav}`
        : '<p class="ok">Ingen saker venter på vurdering.</p>'
      : `<table class="queue"><caption class="vh">Saker som venter, viktigste først</caption><thead><tr><th scope="col">Klasse og hvorfor</th><th scope="col">Type</th><th scope="col">Kilde</th><th scope="col">Side</th><th scope="col">Alder</th><th scope="col">Kontroll</th></tr></thead><tbody>
${rows
  .map(({ item, title, isGrounded }) => {
    const c = classOf(item);
    return `<tr><td><span class="class-${c}">${CLASS_LABEL[c]}</span>${reasonList(item)}</td><td>${KIND_LABEL[item.kind]}</td><td>${e(name(item.sourceId))}</td><td><a href="/item/${e(item.id)}">${e(title || item.url)}</a><br><span class="muted">${e(item.url)}</span></td><td>${ageLabel(ageDays(item, opts.now))}</td><td>${isGrounded ? '' : '<span class="class-material">⚠ tall eller sitat ikke funnet på siden</span>'}</td></tr>`;
  })
  .join('\n')}
</tbody></table>
${nav}`;
  const h1 = `<h1>Til vurdering (${total.toLocaleString('nb-NO')})</h1>\n${opts.topics ?? ''}`;
  return layout('Til vurdering', `${h1}${form}\n${nav}\n${body}`, { nonce: opts.nonce });
}

/** Why an item got its class, in bokmål (see `reasonLabel`), as a short list; empty without reasons. */
function reasonList(item: ReviewItem): string {
  const reasons = item.classReasons ?? [];
  return reasons.length === 0 ? '' : `<ul class="reasons">${reasons.map((r) => `<li>${e(reasonLabel(r))}</li>`).join('')}</ul>`;
}

/** Everything the item page shows. */
export interface ItemView {
  item: ReviewItem;
  title: string;
  summary?: Summary;
  /** Text compared against (absent for a new page). */
  oldText?: string;
  /** Current text (absent for a removed page). */
  newText?: string;
  log: readonly ReviewLogEntry[];
  /** The claims of the text shown (edits included), verified now; absent without a summary. */
  claims?: Claim[];
  /** The current text of every editable field (edits applied). */
  fieldTexts?: Record<string, string>;
  /** The LLM judge's stored opinions of the claims shown, by `field.index` (`summarize --judge`). */
  judgements?: Record<string, JudgeNote>;
}

/** Interactive parts of the item page (absent for a static file: `eti review show --html`). */
export interface ItemForms {
  csrf: string;
  reviewer: string;
  /** Text to put in the edit box instead of the stored one (after a refused POST). */
  draft?: string;
  /** The same for the other fields' boxes, by field. */
  drafts?: Record<string, string>;
  message?: { isError: boolean; text: string };
}

function issuesAt(summary: Summary, where: GroundingIssue['where']): string[] {
  return summary.grounding.issues.filter((i) => i.where === where).map((i) => i.span);
}

const UNGROUNDED_TITLE = 'Ikke funnet i teksten på siden';

function summarySection(item: ReviewItem, summary: Summary | undefined, claims?: readonly Claim[]): string {
  if (!summary) {
    return `<section><h2>Sammendrag</h2><p>${item.kind === 'removed' ? 'Siden er borte (404/410). Godkjenning fjerner den fra pakken.' : 'Ikke oppsummert ennå: kjør «eti summarize».'}</p></section>`;
  }
  const g = summary.grounding;
  const hl = (text: string, where: GroundingIssue['where']): string => highlightSpans(text, issuesAt(summary, where), UNGROUNDED_TITLE);
  const c = summary.content;
  const warning = g.isGrounded
    ? `<p class="ok">Kontroll: alle ${g.checked} tall og sitater finnes på siden.</p>`
    : `<div class="warning"><strong>Advarsel: ${g.issues.length} ${g.issues.length === 1 ? 'tall eller sitat' : 'tall eller sitater'} finnes ikke på siden.</strong> Rett teksten (lagre eller godkjenn med endret tekst), eller godkjenn med en begrunnelse for å overstyre.<ul>${g.issues
        .map((i) => `<li><mark class="ungrounded">${e(i.span)}</mark> i ${WHERE_LABEL[i.where]}</li>`)
        .join('')}</ul></div>`;
  const isEdited = item.editedSummary !== undefined || item.editedFields !== undefined;
  const parts = [
    `<section><h2>Sammendrag <span class="muted">(${e(summary.provider)}/${e(summary.model)})</span></h2>`,
    // The banner describes the text shown: with claims, those of the edited text, verified again.
    claims ? claimsBanner(claims, { isEdited }) : warning,
    item.editedSummary !== undefined
      ? `<p><strong>Redigert tekst:</strong></p><div class="summary-text">${paragraphs(hl(item.editedSummary, 'summary'))}</div><details><summary>Generert tekst</summary>${paragraphs(hl(c.summary, 'summary'))}</details>`
      : `<div class="summary-text">${paragraphs(hl(c.summary, 'summary'))}</div>`,
  ];
  if (summary.changeSummary) parts.push(`<h3>Hva er endret</h3>${paragraphs(hl(summary.changeSummary, 'changeSummary'))}`);
  if (c.keyFacts.length > 0) {
    parts.push(
      `<h3>Nøkkelfakta</h3><ul>${c.keyFacts
        .map(
          (f) =>
            `<li>${highlightSpans(f.fact, issuesAt(summary, 'keyFacts'), UNGROUNDED_TITLE)}<br><span class="muted">Sitat fra siden: «${highlightSpans(f.quote, issuesAt(summary, 'keyFacts'), UNGROUNDED_TITLE)}»</span></li>`,
        )
        .join('')}</ul>`,
    );
  }
  if (c.appliesTo) parts.push(`<h3>Gjelder for</h3>${paragraphs(hl(c.appliesTo, 'appliesTo'))}`);
  if (c.howToApply) parts.push(`<h3>Slik søker du</h3>${paragraphs(hl(c.howToApply, 'howToApply'))}`);
  if (c.deadlines.length > 0) parts.push(`<h3>Frister</h3><ul>${c.deadlines.map((d) => `<li>${hl(d, 'deadlines')}</li>`).join('')}</ul>`);
  if (c.contacts && c.contacts.length > 0)
    parts.push(`<h3>Kontakt</h3><ul>${c.contacts.map((d) => `<li>${hl(d, 'contacts')}</li>`).join('')}</ul>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** Already-escaped text with its line breaks kept as paragraphs. */
function paragraphs(html: string): string {
  return html
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function formsSection(view: ItemView, forms: ItemForms): string {
  const { item, summary } = view;
  if (item.status !== 'pending') {
    return `<section><p>Denne saken er ${STATUS_LABEL[item.status]}${item.decidedBy ? ` av ${e(item.decidedBy)}${item.decidedAt ? ` ${e(osloTime(item.decidedAt))}` : ''}` : ''}${item.note ? `: ${e(item.note)}` : ''}.</p></section>`;
  }
  const base = `/item/${encodeURIComponent(item.id)}`;
  const hidden = `<input type="hidden" name="csrf" value="${e(forms.csrf)}">`;
  // One name field for all three actions: the buttons post the same form to different handlers.
  const who = `<label>Ditt navn (står i loggen) <input type="text" name="reviewer" value="${e(forms.reviewer)}" autocomplete="name" required></label>`;
  const text = forms.draft ?? currentSummaryText(item, summary);
  const editBox =
    text === undefined
      ? ''
      : `<label for="summary">Sammendrag (rediger her; «Lagre tekst» lagrer uten å godkjenne)</label><textarea id="summary" name="summary">${e(text)}</textarea>`;
  return `<section><h2>Vurdering</h2>
<form method="post" action="${base}/approve" class="decide">${hidden}
${editBox}
${who}
<label>Merknad (valgfri) <input type="text" name="note"></label>
${item.kind === 'changed' ? `<label>Endringsnotat for leserne <input type="text" name="change_note" value="${e(summary?.changeSummary ?? '')}"></label><label><input type="checkbox" name="minor" value="1"${item.changeClass && item.changeClass !== 'material' ? ' checked' : ''}> Mindre endring</label>` : ''}
${view.claims ? claimsFormFields(view.claims, view.fieldTexts, forms.drafts) : summary && !summary.grounding.isGrounded ? '<label>Overstyr kontrollen, med begrunnelse (valgfri) <input type="text" name="override"></label>' : ''}
${text === undefined ? '' : `<button type="submit" formaction="${base}/edit" name="action" value="edit">Lagre tekst</button>`}
<button type="submit" name="action" value="approve">Godkjenn</button>
<label>Begrunnelse for avvisning (kreves for å avvise) <input type="text" name="reason"></label>
<button type="submit" formaction="${base}/reject" class="reject">Avvis</button>
</form></section>`;
}

/** The page of one item: header facts, side-by-side diff, summary with grounding marks, forms, log. */
export function itemPage(view: ItemView, opts: { nonce: string; forms?: ItemForms; now: Date; sourceName?: string }): string {
  const { item } = view;
  const c = classOf(item);
  const message = opts.forms?.message
    ? `<p class="${opts.forms.message.isError ? 'msg-error' : 'ok'}" role="status">${e(opts.forms.message.text)}</p>`
    : '';
  const head = `<h1>${e(view.title || item.url)}</h1>
${message}
<p><a href="${e(safeHref(item.url))}" rel="noopener noreferrer" target="_blank">${e(item.url)}</a></p>
<table class="facts"><caption class="vh">Om saken</caption><tr><th scope="row">Sak</th><td>${e(item.id)}</td></tr><tr><th scope="row">Status</th><td>${STATUS_LABEL[item.status]}</td></tr>
<tr><th scope="row">Kilde</th><td>${e(opts.sourceName ?? item.sourceId)}</td></tr><tr><th scope="row">Type</th><td>${KIND_LABEL[item.kind]}</td></tr>
<tr><th scope="row">Klasse</th><td><span class="class-${c}">${CLASS_LABEL[c]}</span>${reasonList(item)}</td></tr>
<tr><th scope="row">Alder</th><td>${ageLabel(ageDays(item, opts.now))} <span class="muted">(opprettet ${e(osloTime(item.createdAt))})</span></td></tr></table>`;
  const diffTitle =
    item.kind === 'new' ? 'Ny side' : item.kind === 'removed' ? 'Fjernet side' : 'Endringer mot sist godkjente (ellers forrige) versjon';
  const diff = `<section><h2>${diffTitle}</h2>${renderSideBySideHtml(view.oldText, view.newText, { contextLines: 3, caption: diffTitle })}</section>`;
  const log = `<section><h2>Logg for saken</h2>${logTable([...view.log].reverse())}</section>`;
  const claims = view.claims
    ? claimsSection(view.claims, {
        isEdited: item.editedSummary !== undefined || item.editedFields !== undefined,
        ...(view.judgements ? { judgements: view.judgements } : {}),
      })
    : '';
  const body = [
    head,
    diff,
    summarySection(item, view.summary, view.claims),
    claims,
    opts.forms ? formsSection(view, opts.forms) : '',
    log,
  ].join('\n');
  return layout(view.title || item.url, body, {
    nonce: opts.nonce,
    isStatic: !opts.forms,
    hasNameField: opts.forms !== undefined && item.status === 'pending',
  });
}

/** Only http(s) links are links; anything else (javascript:, data:) becomes a harmless fragment. */
function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

const LOG_AUDIENCE: Record<string, string> = { parents: 'foreldre', youth: 'ungdom', professionals: 'fagfolk' };

/** The log's "Sak" and "Side" cells: a page item, or a topic page's compilation (`topicId` set). */
function logSubject(x: ReviewLogEntry): string {
  if (x.topicId === undefined) return `<td><a href="/item/${e(x.itemId)}">${e(x.itemId)}</a></td><td>${e(x.url)}</td>`;
  const id = x.itemId.slice(0, 12);
  const audience = x.audience ? ` for ${LOG_AUDIENCE[x.audience] ?? x.audience}` : '';
  return `<td><a href="/topic/${encodeURIComponent(x.topicId)}/${e(id)}">${e(id)}</a></td><td>Temaside «${e(x.topicId)}»${e(audience)}</td>`;
}

function logTable(entries: readonly ReviewLogEntry[]): string {
  if (entries.length === 0) return '<p class="muted">Ingen oppføringer.</p>';
  return `<table class="log"><caption class="vh">Logg, nyeste først</caption><thead><tr><th scope="col">Tid</th><th scope="col">Handling</th><th scope="col">Hvem</th><th scope="col">Sak</th><th scope="col">Side</th><th scope="col">Merknad</th></tr></thead><tbody>
${entries
  .map(
    (x) =>
      `<tr><td><time datetime="${e(x.at)}">${e(osloTime(x.at))}</time></td><td>${ACTION_LABEL[x.action] ?? e(x.action)}</td><td>${e(x.by)}</td>${logSubject(x)}<td>${e(x.note ?? '')}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
}

/** The audit log, most recent first. */
export function logPage(entries: readonly ReviewLogEntry[], opts: { nonce: string }): string {
  return layout('Logg', `<h1>Logg</h1>\n${logTable([...entries].reverse())}`, { nonce: opts.nonce });
}

/** A short error page (403, 404, …). */
export function errorPage(status: number, text: string, opts: { nonce: string }): string {
  return layout(`Feil ${status}`, `<h1>Feil ${status}</h1><p>${e(text)}</p>`, { nonce: opts.nonce });
}
