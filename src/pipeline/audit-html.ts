import type { Audit, AuditPageRow, AuditWeek, ReviewState } from './audit.js';
import { needsAttention } from './audit-report.js';
import { escapeHtml } from './render-html.js';

export { escapeHtml };

/**
 * The audit as one self-contained HTML page in Norwegian bokmål, for analysts: inline CSS and
 * inline SVG charts, no scripts, fonts or other requests (a Content-Security-Policy forbids them
 * too). Every string from pages or config is escaped, so a page title cannot inject markup. Pure
 * and deterministic: the same audit gives byte-identical HTML.
 */


/** `2026-01-25T…` → `25.01.2026`; `-` when absent. */
const dato = (iso: string | undefined): string => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '–');
const num = (x: number): string => String(Math.round(x * 10) / 10);
const dager = (n: number): string => `${n} ${n === 1 ? 'dag' : 'dager'}`;

const HEALTH: Record<AuditPageRow['health'], string> = { ok: 'OK', failing: 'Feiler', removed: 'Fjernet' };
const REVIEW: Record<ReviewState, string> = { approved: 'Godkjent', pending: 'Venter', rejected: 'Avvist', unreviewed: 'Ikke vurdert' };

const link = (url: string): string =>
  /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url);
const marker = (cls: string, text: string): string => `<span class="marker ${cls}">${escapeHtml(text)}</span>`;

interface Bar {
  label: string;
  value: number;
  /** Shown after the bar instead of the value. */
  text?: string;
  cls?: string;
  title: string;
}

/** Horizontal bars, one `rect.bar` per row (also for 0), scaled to the largest value. */
function hbarChart(id: string, label: string, bars: Bar[]): string {
  const labelW = 220;
  const barW = 400;
  const rowH = 26;
  const h = Math.max(1, bars.length) * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = (b.value / max) * barW;
    const shown = b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label;
    return (
      `<g class="row"><title>${escapeHtml(b.title)}</title>` +
      `<text class="label" x="${labelW - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(shown)}</text>` +
      `<rect class="bar${b.cls ? ` ${b.cls}` : ''}" x="${labelW}" y="${y + 4}" width="${num(w)}" height="${rowH - 8}"></rect>` +
      `<text class="value" x="${num(labelW + w + 6)}" y="${y + 17}">${escapeHtml(b.text ?? String(b.value))}</text></g>`
    );
  });
  return `<svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${labelW + barW + 170} ${h}" width="${labelW + barW + 170}" height="${h}">${rows.join('')}</svg>`;
}

/** ISO week number of a Monday `YYYY-MM-DD`. */
function isoWeek(monday: string): number {
  const d = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(d.getTime() + 3 * 86_400_000);
  const jan1 = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
}

/** Content changes per week: one `rect.bar` per week (also for 0), oldest left. */
function weekChart(weeks: readonly AuditWeek[]): string {
  const left = 36;
  const plotW = 660;
  const plotH = 160;
  // A few weeks keep narrow bars on the left rather than a few huge ones.
  const slot = Math.min(48, plotW / Math.max(1, weeks.length));
  const max = Math.max(1, ...weeks.map((w) => w.changed));
  const every = Math.max(1, Math.ceil(weeks.length / 12));
  const parts = weeks.map((w, i) => {
    const h = (w.changed / max) * plotH;
    const x = left + i * slot;
    const title = `Uke ${isoWeek(w.week)} (fra ${dato(w.week)}): ${w.changed} endret, ${w.new} nye, ${w.removed} fjernet`;
    return (
      `<g class="week"><title>${escapeHtml(title)}</title>` +
      `<rect class="bar" x="${num(x + slot * 0.15)}" y="${num(10 + plotH - h)}" width="${num(slot * 0.7)}" height="${num(h)}"></rect>` +
      (i % every === 0 ? `<text class="tick" x="${num(x + slot / 2)}" y="${plotH + 26}" text-anchor="middle">uke ${isoWeek(w.week)}</text>` : '') +
      `</g>`
    );
  });
  const axis =
    `<line class="axis" x1="${left}" y1="${10 + plotH}" x2="${left + plotW}" y2="${10 + plotH}"></line>` +
    `<text class="tick" x="${left - 6}" y="${10 + plotH}" text-anchor="end">0</text>` +
    `<text class="tick" x="${left - 6}" y="20" text-anchor="end">${max}</text>`;
  return `<svg id="chart-weeks" class="chart" role="img" aria-label="Innholdsendringer per uke" viewBox="0 0 ${left + plotW + 10} ${plotH + 36}" width="${left + plotW + 10}" height="${plotH + 36}">${axis}${parts.join('')}</svg>`;
}

function pageMarkers(p: AuditPageRow): string {
  return [
    ...(p.isStale ? [marker('stale', 'Foreldet')] : []),
    ...(p.health === 'failing' ? [marker('bad', `Feiler: ${p.lastFailure ?? `HTTP ${p.lastStatus ?? '?'}`}`)] : []),
    ...(p.health === 'removed' ? [marker('bad', `Fjernet ${dato(p.removedAt)}`)] : []),
    ...(p.redirects > 0 ? [marker('info', `Omdirigert (${p.redirects})`)] : []),
    ...(p.isDeclaredOutdated ? [marker('warn', `Innholdet kan være utdatert (sidens dato er ${dager(p.declaredAgeDays ?? 0)} gammel)`)] : []),
    ...(p.isPendingOverdue ? [marker('warn', `Har ventet i ${dager(p.pendingDays ?? 0)}`)] : []),
    ...(p.isPublishedOutdated ? [marker('warn', 'Publisert tekst er eldre enn innholdet')] : []),
    ...(p.brokenLinks > 0 ? [marker('bad', `${p.brokenLinks} ødelagte lenker`)] : []),
  ].join(' ');
}

/** Why a link is broken, in Norwegian (the fetch error's own text stays as it is). */
function linkReason(l: Audit['brokenLinks'][number]): string {
  const status = l.status === undefined ? '' : `HTTP ${l.status}`;
  if (l.removedAt) return `siden er fjernet ${dato(l.removedAt)}${status ? ` (${status})` : ''}`;
  const when = l.checkedAt ? ` (sjekket ${dato(l.checkedAt)})` : '';
  if (l.error !== undefined) return `svarer ikke: ${l.error}${when}`;
  return `${status || l.reason}${status ? when : ''}`;
}

const td = (html: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${html}</td>`;
const th = (labels: string[]): string => `<thead><tr>${labels.map((l) => `<th>${escapeHtml(l)}</th>`).join('')}</tr></thead>`;

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:26px}h2{font-size:19px;margin:32px 0 10px}
.meta{color:#555;margin:0 0 20px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:0;padding:0;list-style:none}
.cards li{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 14px;min-width:130px}
.cards b{display:block;font-size:24px}.cards .alert b{color:#b3261e}
figure{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:0 0 16px;padding:12px;overflow-x:auto}
figcaption{font-weight:600;margin-bottom:6px}
.chart text{font-size:12px;fill:#333}.chart .tick{fill:#666;font-size:11px}.chart .axis{stroke:#999}
.bar{fill:#2f6fb3}.bar.stale,.bar.bad{fill:#b3261e}.bar.warn{fill:#c77700}.bar.ok{fill:#2e7d32}.bar.muted{fill:#8a94a0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #dde1e6;padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
td a{word-break:break-all}
.marker{display:inline-block;border-radius:3px;padding:0 5px;margin:1px 0;font-size:12px;font-weight:600}
.marker.ok{background:#e3f4e4;color:#1d5b20}.marker.stale,.marker.bad{background:#fbe3e1;color:#8c1d18}.marker.warn{background:#fdf0d5;color:#6b4100}.marker.info{background:#e3edf8;color:#17416b}
dl dt{font-weight:600}dl dd{margin:0 0 8px 0}
`;

/**
 * The HTML report. `allPages`: list every page, not only those needing attention (a flag, a
 * failure, a pending item past its SLA, …).
 */
export function renderHtml(result: Audit, opts: { allPages?: boolean } = {}): string {
  const src = result.sources;
  const pages = opts.allPages ? result.pages : result.pages.filter(needsAttention);
  const names = new Map(src.map((s) => [s.sourceId, s.name]));
  const sum = (f: (p: AuditPageRow) => boolean): number => result.pages.filter(f).length;
  const cards: [string, number, boolean][] = [
    ['Kilder', src.length, false],
    ['Sider', result.pages.length, false],
    ['Foreldede kilder', src.filter((s) => s.isStale).length, true],
    ['Sider som feiler', sum((p) => p.health === 'failing'), true],
    ['Ødelagte lenker', result.brokenLinks.length, true],
    ['Venter over fristen', sum((p) => p.isPendingOverdue), true],
    ['Kan være utdatert', sum((p) => p.isDeclaredOutdated), true],
  ];
  const daysBars: Bar[] = src.map((s) => ({
    label: s.name,
    value: s.daysSinceChange ?? 0,
    text: s.daysSinceChange === undefined ? 'ingen endring lagret' : dager(s.daysSinceChange) + (s.isStale ? ' – foreldet' : ''),
    cls: s.isStale ? 'stale' : '',
    title: `${s.name}: sist endret ${dato(s.lastChangedAt)}, sist hentet OK ${dato(s.lastOkAt)}${s.isStale ? ` (foreldet: fristen er ${dager(s.freshnessSlaDays)})` : ''}`,
  }));
  const statusBars: Bar[] = (['ok', 'failing', 'removed'] as const).map((h) => ({
    label: HEALTH[h],
    value: sum((p) => p.health === h),
    cls: h === 'ok' ? 'ok' : 'bad',
    title: `${HEALTH[h]}: ${sum((p) => p.health === h)} sider`,
  }));
  const reviewBars: Bar[] = (['approved', 'pending', 'rejected', 'unreviewed'] as const).map((r) => ({
    label: REVIEW[r],
    value: sum((p) => p.review === r),
    cls: r === 'approved' ? 'ok' : r === 'pending' ? 'warn' : 'muted',
    title: `${REVIEW[r]}: ${sum((p) => p.review === r)} sider`,
  }));

  const sourceRows = src.map(
    (s) =>
      `<tr data-source="${escapeHtml(s.sourceId)}">${td(`${escapeHtml(s.name)}<br><small>${escapeHtml(s.sourceId)}</small>`)}${td(escapeHtml(s.owner))}` +
      [s.pages, s.ok, s.failing, s.removed, s.pending, s.pendingOverdue].map((n) => td(String(n), 'n')).join('') +
      td(s.oldestPendingDays === undefined ? '–' : String(s.oldestPendingDays), 'n') +
      [s.declaredOutdated, s.brokenLinks, s.changes, s.changesLast30Days].map((n) => td(String(n), 'n')).join('') +
      td(dato(s.lastOkAt)) + td(dato(s.lastChangedAt)) + td(String(s.freshnessSlaDays), 'n') +
      td(s.isStale ? marker('stale', 'Foreldet') : marker('ok', 'OK')) + '</tr>',
  );
  const pageRows = pages.map(
    (p) =>
      `<tr>${td(`${escapeHtml(p.title)}<br>${link(p.url)}${p.finalUrl ? `<br><small>→ ${link(p.finalUrl)}</small>` : ''}`)}${td(escapeHtml(names.get(p.sourceId) ?? p.sourceId))}` +
      td(`${HEALTH[p.health]}${p.lastStatus === undefined ? '' : ` (${p.lastStatus})`}`) +
      td(dato(p.lastOkAt)) + td(dato(p.lastChangedAt)) + td(escapeHtml(p.pageModified ? dato(p.pageModified) : p.pagePublished ? `${dato(p.pagePublished)} (publisert)` : '–')) +
      td(REVIEW[p.review] + (p.pendingDays === undefined ? '' : ` (${dager(p.pendingDays)})`)) +
      td(String(p.changes), 'n') + td(pageMarkers(p)) + '</tr>',
  );
  const linkRows = result.brokenLinks.map(
    (l) => `<tr>${td(`${escapeHtml(l.pageTitle)}<br>${link(l.pageUrl)}`)}${td(link(l.link))}${td(l.via === 'check' ? 'lenkesjekk' : 'lageret')}${td(escapeHtml(linkReason(l)))}</tr>`,
  );
  const noLinks =
    result.linksChecked !== undefined
      ? `Ingen (${result.linksChecked} lenker sjekket).`
      : result.linksOnRecord !== undefined
        ? `Ingen (${result.linksOnRecord} lenker sjekket ved tidligere lenkesjekker; kjør <code>eti audit --check-links</code> for å sjekke de eldste på nytt).`
        : 'Ingen kjente. Lageret vet bare om lenker til sider som er fjernet eller svarer med feil; kjør <code>eti audit --check-links</code> for å sjekke alle lenker.';

  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ferskhetsrapport</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Ferskhetsrapport</h1>
<p class="meta">Laget ${escapeHtml(dato(result.generatedAt))} kl. ${escapeHtml(result.generatedAt.slice(11, 16))} UTC av eti audit.</p>
<ul class="cards">${cards.map(([l, n, alert]) => `<li${alert && n > 0 ? ' class="alert"' : ''}><b>${n}</b>${escapeHtml(l)}</li>`).join('')}</ul>

<h2>Oversikt</h2>
<figure><figcaption>Dager siden siste innholdsendring per kilde</figcaption>${hbarChart('chart-days', 'Dager siden siste innholdsendring per kilde', daysBars)}</figure>
<figure><figcaption>Innholdsendringer per uke (nye og fjernede sider står i verktøytipsene)</figcaption>${result.weeks.length === 0 ? '<p>Ingen historikk lagret ennå.</p>' : weekChart(result.weeks)}</figure>
<figure><figcaption>Status for sidene</figcaption>${hbarChart('chart-status', 'Status for sidene', statusBars)}</figure>
<figure><figcaption>Vurdering av gjeldende innhold</figcaption>${hbarChart('chart-review', 'Vurdering av gjeldende innhold', reviewBars)}</figure>

<h2>Kilder</h2>
<table id="sources">${th(['Kilde', 'Eier', 'Sider', 'OK', 'Feiler', 'Fjernet', 'Venter', 'Over frist', 'Eldste ventende (dager)', 'Kan være utdatert', 'Ødelagte lenker', 'Endringer', 'Endringer siste 30 dager', 'Sist hentet OK', 'Sist endret', 'Frist (dager)', 'Ferskhet'])}
<tbody>${sourceRows.join('\n')}</tbody></table>

<h2>${opts.allPages ? 'Alle sider' : 'Sider som trenger oppfølging'}</h2>
${pages.length === 0 ? '<p>Ingen.</p>' : `<table id="pages">${th(['Side', 'Kilde', 'Status', 'Sist hentet OK', 'Sist endret', 'Sidens dato', 'Vurdering', 'Endringer', 'Merknader'])}\n<tbody>${pageRows.join('\n')}</tbody></table>`}

<h2>Ødelagte lenker</h2>
${linkRows.length === 0 ? `<p>${noLinks}</p>` : `<table id="links">${th(['På siden', 'Lenke', 'Funnet av', 'Årsak'])}\n<tbody>${linkRows.join('\n')}</tbody></table>`}

<h2>Slik leses rapporten</h2>
<dl>
<dt>Foreldet</dt><dd>Kilden (eller siden) er ikke hentet uten feil innen fristen (<code>freshness_sla_days</code> i sources.yaml).</dd>
<dt>Innholdet kan være utdatert</dt><dd>Datoen siden selv oppgir (sist endret, ellers publisert) er eldre enn <code>declared_max_age_days</code>.</dd>
<dt>Venter over fristen</dt><dd>Et endret innhold har ventet på en redaktør lenger enn <code>pending_sla_days</code>.</dd>
<dt>Publisert tekst er eldre enn innholdet</dt><dd>Siden har endret seg etter at teksten som er publisert ble godkjent.</dd>
<dt>Ødelagte lenker</dt><dd>Lenker i innholdet til kildens egne nettsteder som fører til en side som er fjernet eller svarer med feil.</dd>
</dl>
</main>
</body>
</html>
`;
}
