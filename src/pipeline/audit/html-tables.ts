import { createHash } from 'node:crypto';
import type { Audit, AuditPageRow, AuditWeek, ReviewState } from './audit.js';
import type { TrendWeek } from './history.js';
import { escapeHtml } from '../publish/index.js';

/**
 * The audit report's tables (Norwegian bokmål): sources, owners, pages, broken links, weeks and
 * the trend from the audit history, each in a focusable scroll region so a wide table never
 * widens the page, and sortable by a small script (the tables are complete and in a sensible
 * order without it). Pure and deterministic; every string from pages or config is escaped.
 */

/** `2026-01-25T…` → `25.01.2026`; `–` when absent. */
export const dato = (iso: string | undefined): string => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '–');
export const dager = (n: number): string => `${n} ${n === 1 ? 'dag' : 'dager'}`;
/** A number the Norwegian way: `1 234,5` (no-break space for thousands, comma for decimals). */
export const tall = (x: number, decimals = 0): string =>
  x.toLocaleString('nb-NO', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).replace(/\u00a0|\u202f/g, '\u00a0');

export const HEALTH: Record<AuditPageRow['health'], string> = { ok: 'OK', failing: 'Feiler', removed: 'Fjernet' };
export const REVIEW: Record<ReviewState, string> = {
  approved: 'Godkjent',
  pending: 'Venter',
  rejected: 'Avvist',
  unreviewed: 'Ikke vurdert',
};

/** Fetch error codes in bokmål; the fetcher's English message is not shown in the report. */
const FAILURES: Record<string, string> = {
  timeout: 'svarte ikke i tide',
  network: 'nettverksfeil (verten svarer ikke)',
  'too-large': 'siden er for stor',
  'redirect-loop': 'omdirigeringssløyfe',
  'too-many-redirects': 'for mange omdirigeringer',
  'redirect-out-of-scope': 'omdirigert ut av kilden',
  'private-address': 'privat adresse (ikke tillatt)',
  'bad-url': 'ugyldig adresse',
  'unsupported-scheme': 'adressetypen støttes ikke',
  'browser-unavailable': 'ingen nettleser tilgjengelig',
  'browser-failed': 'nettleseren feilet',
  'robots-disallowed': 'stengt av robots.txt',
};

/** `http-503: HTTP 503` → `HTTP 503`; `timeout: …` → `svarte ikke i tide`; an unknown code as `feil (code)`. */
export function failureLabel(failure: string): string {
  const code = failure.split(':')[0]!.trim();
  const http = /^http-(\d{3})$/.exec(code);
  if (http) return `HTTP ${http[1]}`;
  return FAILURES[code] ?? `feil (${code})`;
}

export const link = (url: string): string =>
  /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url);
export const marker = (cls: string, text: string): string => `<span class="marker ${cls}">${escapeHtml(text)}</span>`;
const td = (html: string, cls = '', sortValue?: string | number): string =>
  `<td${cls ? ` class="${cls}"` : ''}${sortValue === undefined ? '' : ` data-v="${escapeHtml(sortValue)}"`}>${html}</td>`;
const n = (x: number | undefined, decimals = 0): string => td(x === undefined ? '–' : tall(x, decimals), 'n', x ?? '');
const dateTd = (iso: string | undefined): string => td(dato(iso), '', iso ?? '');

/**
 * A sortable table inside a focusable, labelled scroll region. `isCaptionShown`: false when a
 * heading right above already says the same (the caption still names the table for screen readers).
 */
function table(id: string, caption: string, headers: string[], rows: string[], isCaptionShown = true): string {
  return (
    `<div class="scroll" role="region" aria-labelledby="${id}-caption" tabindex="0"><table id="${id}" class="sortable">` +
    `<caption id="${id}-caption"${isCaptionShown ? '' : ' class="vh"'}>${escapeHtml(caption)}</caption>` +
    `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>${rows.join('\n')}</tbody></table></div>`
  );
}

/** Hours as `5 t` under two days, else `3,5 d`. */
export const varighet = (hours: number | undefined): string =>
  hours === undefined ? '–' : hours < 48 ? `${tall(hours)} t` : `${tall(hours / 24, 1)} d`;

const sourceCell = (name: string, id: string): string => td(`${escapeHtml(name)}<br><small>${escapeHtml(id)}</small>`, '', name);

/** Sources, two tables so each fits a 1,280 px window: freshness and health, then review, readability and cost. */
export function sourcesTable(result: Audit): string {
  const extra = new Map(result.analytics.sources.map((a) => [a.sourceId, a]));
  const health = result.sources.map((s) => {
    const a = extra.get(s.sourceId);
    return (
      `<tr data-source="${escapeHtml(s.sourceId)}">${sourceCell(s.name, s.sourceId)}${td(escapeHtml(s.owner))}` +
      [s.pages, s.ok, s.failing, a?.unreachable ?? 0, s.removed, s.declaredOutdated, s.brokenLinks, s.changes, s.changesLast30Days]
        .map((x) => n(x))
        .join('') +
      dateTd(s.lastOkAt) +
      dateTd(s.lastChangedAt) +
      n(s.freshnessSlaDays) +
      td(s.isStale ? marker('stale', 'Foreldet') : marker('ok', 'OK'), '', s.isStale ? 1 : 0) +
      '</tr>'
    );
  });
  const review = result.sources.map((s) => {
    const a = extra.get(s.sourceId);
    return (
      `<tr data-source="${escapeHtml(s.sourceId)}">${sourceCell(s.name, s.sourceId)}` +
      [s.pending, s.pendingOverdue].map((x) => n(x)).join('') +
      n(s.oldestPendingDays) +
      n(a?.approvals) +
      td(varighet(a?.medianHoursToApproval), 'n', a?.medianHoursToApproval ?? '') +
      n(a?.summaryLix, 1) +
      n(a?.sourceLix, 1) +
      n(a?.lixCount) +
      n(a?.costUsd, 2) +
      '</tr>'
    );
  });
  return (
    table(
      'sources',
      'Kilder: ferskhet og helse',
      [
        'Kilde',
        'Eier',
        'Sider',
        'OK',
        'Feiler',
        'Ikke nådd',
        'Fjernet',
        'Kan være utdatert',
        'Ødelagte lenker',
        'Endringer',
        'Endringer siste 30 dager',
        'Sist hentet OK',
        'Sist endret',
        'Frist (dager)',
        'Ferskhet',
      ],
      health,
    ) +
    '\n' +
    table(
      'sources-review',
      'Kilder: vurdering, lesbarhet og kostnad',
      [
        'Kilde',
        'Venter',
        'Over frist',
        'Eldste ventende (dager)',
        'Godkjent',
        'Median tid til godkjenning',
        'LIX sammendrag',
        'LIX kildeside',
        'Sammendrag med LIX',
        'Kostnad (USD)',
      ],
      review,
    )
  );
}

export function ownersTable(result: Audit): string {
  const rows = result.analytics.owners.map(
    (o) =>
      `<tr>${td(escapeHtml(o.owner))}` +
      [o.sources, o.staleSources, o.pages, o.failing, o.unreachable, o.pending, o.pendingOverdue, o.brokenLinks].map((x) => n(x)).join('') +
      n(o.costUsd, 2) +
      '</tr>',
  );
  return table(
    'owners',
    'Per eier',
    ['Eier', 'Kilder', 'Foreldede kilder', 'Sider', 'Feiler', 'Ikke nådd', 'Venter', 'Over frist', 'Ødelagte lenker', 'Kostnad (USD)'],
    rows,
    false,
  );
}

function pageMarkers(p: AuditPageRow): string {
  return [
    ...(p.isStale ? [marker('stale', 'Foreldet')] : []),
    ...(p.health === 'failing'
      ? [marker('bad', `Feiler: ${p.lastFailure ? failureLabel(p.lastFailure) : `HTTP ${p.lastStatus ?? '?'}`}`)]
      : []),
    ...(p.health === 'removed' ? [marker('bad', `Fjernet ${dato(p.removedAt)}`)] : []),
    ...(p.redirects > 0 ? [marker('info', `Omdirigert (${p.redirects})`)] : []),
    ...(p.isDeclaredOutdated
      ? [marker('warn', `Innholdet kan være utdatert (sidens dato er ${dager(p.declaredAgeDays ?? 0)} gammel)`)]
      : []),
    ...(p.isPendingOverdue ? [marker('warn', `Har ventet i ${dager(p.pendingDays ?? 0)}`)] : []),
    ...(p.isPublishedOutdated ? [marker('warn', 'Publisert tekst er eldre enn innholdet')] : []),
    ...(p.brokenLinks > 0 ? [marker('bad', `${p.brokenLinks} ødelagte lenker`)] : []),
  ].join(' ');
}

/** The review item a page waits on: a link into `eti review --serve` when its address is known, else the id to look up. */
function itemRef(id: string, reviewUrl: string | undefined): string {
  if (reviewUrl && /^https?:\/\//i.test(reviewUrl))
    return `<a href="${escapeHtml(`${reviewUrl.replace(/\/?$/, '/')}item/${encodeURIComponent(id)}`)}">sak ${escapeHtml(id)}</a>`;
  return `sak <code>${escapeHtml(id)}</code>`;
}

export function pagesTable(
  pages: readonly AuditPageRow[],
  names: ReadonlyMap<string, string>,
  caption: string,
  reviewUrl?: string,
): string {
  const rows = pages.map(
    (p) =>
      `<tr>${td(`${escapeHtml(p.title)}<br>${link(p.url)}${p.finalUrl ? `<br><small>→ ${link(p.finalUrl)}</small>` : ''}`, '', p.title)}${td(escapeHtml(names.get(p.sourceId) ?? p.sourceId))}` +
      td(`${HEALTH[p.health]}${p.lastStatus === undefined ? '' : ` (${p.lastStatus})`}`) +
      dateTd(p.lastOkAt) +
      dateTd(p.lastChangedAt) +
      td(
        escapeHtml(p.pageModified ? dato(p.pageModified) : p.pagePublished ? `${dato(p.pagePublished)} (publisert)` : '–'),
        '',
        p.pageModified ?? p.pagePublished ?? '',
      ) +
      td(
        REVIEW[p.review] +
          (p.pendingDays === undefined ? '' : ` (${dager(p.pendingDays)})`) +
          (p.pendingItemId ? `<br>${itemRef(p.pendingItemId, reviewUrl)}` : ''),
        '',
        p.pendingDays ?? -1,
      ) +
      n(p.changes) +
      td(pageMarkers(p)) +
      '</tr>',
  );
  return table(
    'pages',
    caption,
    ['Side', 'Kilde', 'Status', 'Sist hentet OK', 'Sist endret', 'Sidens dato', 'Vurdering', 'Endringer', 'Merknader'],
    rows,
    false,
  );
}

/** Why a link is broken, in bokmål. */
function linkReason(l: Audit['brokenLinks'][number]): string {
  const status = l.status === undefined ? '' : `HTTP ${l.status}`;
  if (l.removedAt) return `siden er fjernet ${dato(l.removedAt)}${status ? ` (${status})` : ''}`;
  const when = l.checkedAt ? ` (sjekket ${dato(l.checkedAt)})` : '';
  if (l.error !== undefined) return `svarer ikke: ${failureLabel(l.error)}${when}`;
  return `${status || 'feil'}${when}`;
}

export function linksTable(result: Audit): string {
  const rows = result.brokenLinks.map(
    (l) =>
      `<tr>${td(`${escapeHtml(l.pageTitle)}<br>${link(l.pageUrl)}`, '', l.pageTitle)}${td(link(l.link))}${td(l.via === 'check' ? 'lenkesjekk' : 'lageret')}${td(escapeHtml(linkReason(l)))}</tr>`,
  );
  return table('links', 'Ødelagte lenker', ['På siden', 'Lenke', 'Funnet av', 'Årsak'], rows, false);
}

/** ISO week number of a Monday `YYYY-MM-DD`. */
export function isoWeek(monday: string): number {
  const d = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(d.getTime() + 3 * 86_400_000);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
}

/** New, changed and removed pages per week as text (the chart shows only changes). Newest first. */
export function weeksTable(weeks: readonly AuditWeek[]): string {
  const rows = [...weeks]
    .reverse()
    .map((w) => `<tr>${td(`uke ${isoWeek(w.week)}`, '', w.week)}${dateTd(w.week)}${n(w.new)}${n(w.changed)}${n(w.removed)}</tr>`);
  return table('weeks', 'Nye, endrede og fjernede sider per uke', ['Uke', 'Fra mandag', 'Nye sider', 'Endret innhold', 'Fjernet'], rows);
}

/** The audit history, one row per week (that week's last audit), newest first. */
export function trendTable(trend: readonly TrendWeek[]): string {
  const rows = [...trend]
    .reverse()
    .map(
      (w) =>
        `<tr>${td(`uke ${isoWeek(w.week)}`, '', w.week)}${dateTd(w.at)}` +
        [w.pending, w.pendingOverdue, w.failing, w.unreachable, w.staleSources, w.new, w.changed, w.removed].map((x) => n(x)).join('') +
        td(varighet(w.medianHoursToApproval), 'n', w.medianHoursToApproval ?? '') +
        '</tr>',
    );
  return table(
    'trend',
    'Utvikling per uke (siste revisjon hver uke)',
    [
      'Uke',
      'Revisjon kjørt',
      'Saker som venter',
      'Sider over frist',
      'Sider som feiler',
      'Ikke nådd',
      'Foreldede kilder',
      'Nye sider',
      'Endret innhold',
      'Fjernet',
      'Median tid til godkjenning',
    ],
    rows,
  );
}

/**
 * Sorts a `table.sortable` by a column when its header button is pressed (again: the other way),
 * numbers as numbers (`data-v` holds the raw value where the text is formatted), text by
 * Norwegian collation; `aria-sort` says which. Runs only under the report's CSP hash.
 */
export const SORT_SCRIPT = `(function(){var sortables=document.querySelectorAll('table.sortable');Array.prototype.forEach.call(sortables,function(t){var ths=t.tHead.rows[0].cells;Array.prototype.forEach.call(ths,function(th,i){var b=document.createElement('button');b.type='button';b.className='sort';b.textContent=th.textContent;th.textContent='';th.appendChild(b);b.addEventListener('click',function(){var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;Array.prototype.forEach.call(ths,function(x){x.removeAttribute('aria-sort')});th.setAttribute('aria-sort',dir===1?'ascending':'descending');var body=t.tBodies[0];var rows=Array.prototype.slice.call(body.rows);var key=function(r){var c=r.cells[i];var v=c.hasAttribute('data-v')?c.getAttribute('data-v'):c.textContent.trim();var x=Number(v);return v!==''&&!isNaN(x)?x:v.toLowerCase()};rows.sort(function(a,b){var x=key(a),y=key(b);if(typeof x==='number'&&typeof y==='number')return(x-y)*dir;return String(x).localeCompare(String(y),'nb')*dir});rows.forEach(function(r){body.appendChild(r)})})})})})();`;

/** The CSP source that allows exactly `SORT_SCRIPT`. */
export const SORT_SCRIPT_HASH = `'sha256-${createHash('sha256').update(SORT_SCRIPT).digest('base64')}'`;
