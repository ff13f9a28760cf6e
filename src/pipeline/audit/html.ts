import type { Audit, AuditPageRow, AuditWeek } from './audit.js';
import type { TrendWeek } from './history.js';
import {
  dager,
  dato,
  HEALTH,
  isoWeek,
  linksTable,
  ownersTable,
  pagesTable,
  REVIEW,
  SORT_SCRIPT,
  SORT_SCRIPT_HASH,
  sourcesTable,
  tall,
  trendTable,
  varighet,
  weeksTable,
} from './html-tables.js';
import { needsAttention } from './report.js';
import { escapeHtml, osloTime } from '../publish/index.js';

export { escapeHtml };

/**
 * The audit as one self-contained HTML page in Norwegian bokmål, for analysts: inline CSS, inline
 * SVG charts that scale to the window, tables in scroll regions (so the page fits 1,280 px and
 * 375 px), and one inline script, allowed by its hash, that makes the tables sortable (they are
 * whole without it). No fonts or other requests. Every string from pages or config is escaped,
 * so a page title cannot inject markup. Pure and deterministic: the same audit (and history)
 * gives byte-identical HTML.
 */

const num = (x: number): string => String(Math.round(x * 10) / 10);

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
  const barW = 300;
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
  return chartRegion(
    label,
    `<svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${labelW + barW + 150} ${h}" width="${labelW + barW + 150}" height="${h}">${rows.join('')}</svg>`,
  );
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
      (i % every === 0
        ? `<text class="tick" x="${num(x + slot / 2)}" y="${plotH + 26}" text-anchor="middle">uke ${isoWeek(w.week)}</text>`
        : '') +
      `</g>`
    );
  });
  const axis =
    `<line class="axis" x1="${left}" y1="${10 + plotH}" x2="${left + plotW}" y2="${10 + plotH}"></line>` +
    `<text class="tick" x="${left - 6}" y="${10 + plotH}" text-anchor="end">0</text>` +
    `<text class="tick" x="${left - 6}" y="20" text-anchor="end">${max}</text>`;
  return chartRegion(
    'Innholdsendringer per uke',
    `<svg id="chart-weeks" class="chart" role="img" aria-label="Innholdsendringer per uke" viewBox="0 0 ${left + plotW + 10} ${plotH + 36}" width="${left + plotW + 10}" height="${plotH + 36}">${axis}${parts.join('')}</svg>`,
  );
}

/**
 * A chart at its own size in a focusable scroll region: on a phone it scrolls sideways with
 * readable text instead of shrinking to a 5 px font, and the page itself never gets wider.
 */
function chartRegion(label: string, svg: string): string {
  return `<div class="chart-scroll" role="region" tabindex="0" aria-label="${escapeHtml(label)}">${svg}</div>`;
}

const CSS = `
*,*::before,*::after{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:26px}h2{font-size:19px;margin:32px 0 10px}
.meta{color:#555;margin:0 0 20px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:0;padding:0;list-style:none}
.cards li{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 14px;min-width:130px;flex:1 1 130px}
.cards b{display:block;font-size:24px}.cards .alert b{color:#b3261e}
figure{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:0 0 16px;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}
svg.chart{display:block}.chart-scroll{overflow-x:auto;max-width:100%}.chart-scroll:focus{outline:2px solid #2f6fb3}
.chart text{font-size:12px;fill:#333}.chart .tick{fill:#595959;font-size:11px}.chart .axis{stroke:#999}
.bar{fill:#2f6fb3}.bar.stale,.bar.bad{fill:#b3261e}.bar.warn{fill:#c77700}.bar.ok{fill:#2e7d32}.bar.muted{fill:#8a94a0}
.scroll{overflow-x:auto;max-width:100%;margin:0 0 16px}.scroll:focus{outline:2px solid #2f6fb3}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#weeks,#trend{width:auto;min-width:50%}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #dde1e6;padding:5px 7px;text-align:left;vertical-align:top}
th{background:#eef1f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
th button.sort{font:inherit;font-weight:600;background:none;border:0;padding:0;text-align:left;cursor:pointer;color:inherit}
th[aria-sort=ascending] button.sort::after{content:" ▲"}th[aria-sort=descending] button.sort::after{content:" ▼"}
td a{word-break:break-all}
.marker{display:inline-block;border-radius:3px;padding:0 5px;margin:1px 0;font-size:12px;font-weight:600}
.marker.ok{background:#e3f4e4;color:#1d5b20}.marker.stale,.marker.bad{background:#fbe3e1;color:#8c1d18}.marker.warn{background:#fdf0d5;color:#6b4100}.marker.info{background:#e3edf8;color:#17416b}
dl dt{font-weight:600}dl dd{margin:0 0 8px 0}
@media (max-width:600px){main{padding:12px}}
`;

/** The summary cards: `[label, value shown, is an alert when > 0]`. */
function cards(result: Audit): string {
  const a = result.analytics;
  const sum = (f: (p: AuditPageRow) => boolean): number => result.pages.filter(f).length;
  const list: [string, string, number][] = [
    ['Kilder', tall(result.sources.length), 0],
    ['Sider', tall(result.pages.length), 0],
    ['Saker som venter på vurdering', tall(a.pendingItems), 0],
    ['Venter over fristen (sider)', tall(sum((p) => p.isPendingOverdue)), sum((p) => p.isPendingOverdue)],
    ['Median tid fra endring til godkjenning', varighet(a.medianHoursToApproval), 0],
    ['Foreldede kilder', tall(result.sources.filter((s) => s.isStale).length), result.sources.filter((s) => s.isStale).length],
    ['Sider som feiler', tall(sum((p) => p.health === 'failing')), sum((p) => p.health === 'failing')],
    ['Sider som ikke nås', tall(a.sources.reduce((n, s) => n + s.unreachable, 0)), a.sources.reduce((n, s) => n + s.unreachable, 0)],
    ['Ødelagte lenker', tall(result.brokenLinks.length), result.brokenLinks.length],
    ['Kan være utdatert', tall(sum((p) => p.isDeclaredOutdated)), sum((p) => p.isDeclaredOutdated)],
  ];
  if (a.lastCrawl) list.push([`Hoppet over i siste crawl (robots.txt), ${dato(a.lastCrawl.finishedAt)}`, tall(a.lastCrawl.skipped), 0]);
  return `<ul class="cards">${list.map(([l, v, alert]) => `<li${alert > 0 ? ' class="alert"' : ''}><b>${escapeHtml(v)}</b>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

/** The page status bars: a page OK at its last fetch but not fetched within the SLA counts as stale, as on the source cards. */
function statusBars(pages: readonly AuditPageRow[]): Bar[] {
  const groups: [string, (p: AuditPageRow) => boolean, string][] = [
    ['Hentet innen fristen', (p) => p.health === 'ok' && !p.isStale, 'ok'],
    ['Ikke hentet innen fristen', (p) => p.health === 'ok' && p.isStale, 'stale'],
    [HEALTH.failing, (p) => p.health === 'failing', 'bad'],
    [HEALTH.removed, (p) => p.health === 'removed', 'muted'],
  ];
  return groups.map(([label, f, cls]) => {
    const value = pages.filter(f).length;
    return { label, value, cls, title: `${label}: ${value} sider` };
  });
}

/** The two bar charts of the overview: days since the last change per source, and review states. */
function overviewBars(result: Audit): { daysBars: Bar[]; reviewBars: Bar[] } {
  const src = result.sources;
  const sum = (f: (p: AuditPageRow) => boolean): number => result.pages.filter(f).length;
  // Time since the content last changed says nothing about the fetch SLA: no "stale" colour here.
  const daysBars: Bar[] = src.map((s) => ({
    label: s.name,
    value: s.daysSinceChange ?? 0,
    text: s.daysSinceChange === undefined ? 'ingen endring lagret' : dager(s.daysSinceChange),
    title: `${s.name}: innholdet sist endret ${dato(s.lastChangedAt)}`,
  }));
  const reviewBars: Bar[] = (['approved', 'pending', 'rejected', 'unreviewed'] as const).map((r) => ({
    label: REVIEW[r],
    value: sum((p) => p.review === r),
    cls: r === 'approved' ? 'ok' : r === 'pending' ? 'warn' : 'muted',
    title: `${REVIEW[r]}: ${sum((p) => p.review === r)} sider`,
  }));
  return { daysBars, reviewBars };
}

/** What the broken-links section says when there are none. */
function noLinksText(result: Audit): string {
  return result.linksChecked !== undefined
    ? `Ingen (${result.linksChecked} lenker sjekket).`
    : result.linksOnRecord !== undefined
      ? `Ingen (${result.linksOnRecord} lenker sjekket ved tidligere lenkesjekker; kjør <code>eti audit --check-links</code> for å sjekke de eldste på nytt).`
      : 'Ingen kjente. Lageret vet bare om lenker til sider som er fjernet eller svarer med feil; kjør <code>eti audit --check-links</code> for å sjekke alle lenker.';
}

const GLOSSARY = `<h2>Slik leses rapporten</h2>
<dl>
<dt>Foreldet</dt><dd>Kilden (eller siden) er ikke hentet uten feil innen fristen (<code>freshness_sla_days</code> i <code>sources.yaml</code>). Det sier ingenting om når innholdet sist ble endret.</dd>
<dt>Ikke nådd</dt><dd>Siste forsøk fikk ikke noe svar: tidsavbrudd, nettverksfeil eller en vert som ikke finnes.</dd>
<dt>Innholdet kan være utdatert</dt><dd>Datoen siden selv oppgir (sist endret, ellers publisert) er eldre enn <code>declared_max_age_days</code>.</dd>
<dt>Venter over fristen</dt><dd>Et endret innhold har ventet på en redaktør lenger enn <code>pending_sla_days</code>.</dd>
<dt>Tid til godkjenning</dt><dd>Fra saken ble opprettet (endringen ble funnet) til den ble godkjent; median over alle godkjenninger.</dd>
<dt>LIX</dt><dd>Lesbarhetsindeks: ord per setning pluss andel lange ord. Under 40 er lett å lese. Median over gjeldende sammendrag og sidene de bygger på.</dd>
<dt>Kostnad</dt><dd>Anslått pris for alle sammendrag som er laget for kilden, i amerikanske dollar, etter prisene i <code>summarize.prices</code>.</dd>
<dt>Publisert tekst er eldre enn innholdet</dt><dd>Siden har endret seg etter at teksten som er publisert ble godkjent.</dd>
<dt>Ødelagte lenker</dt><dd>Lenker i innholdet til kildens egne nettsteder som fører til en side som er fjernet eller svarer med feil.</dd>
</dl>`;

/**
 * The HTML report. `allPages`: list every page, not only those needing attention (a flag, a
 * failure, a pending item past its SLA, …). `trend`: the audit history per week
 * (`weeklyTrend`). `reviewUrl`: the address of `eti review --serve`, so pending items link there.
 */
export function renderHtml(result: Audit, opts: { allPages?: boolean; trend?: readonly TrendWeek[]; reviewUrl?: string } = {}): string {
  const src = result.sources;
  const pages = opts.allPages ? result.pages : result.pages.filter(needsAttention);
  const names = new Map(src.map((s) => [s.sourceId, s.name]));
  const { daysBars, reviewBars } = overviewBars(result);
  const noLinks = noLinksText(result);
  const crawl = result.analytics.lastCrawl;
  const trend = opts.trend ?? [];

  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src ${SORT_SCRIPT_HASH}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ferskhetsrapport</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Ferskhetsrapport</h1>
<p class="meta">Laget ${escapeHtml(osloTime(result.generatedAt))} (norsk tid) av eti audit. Klikk på en kolonneoverskrift for å sortere.</p>
${cards(result)}
${crawl ? `<p>Siste crawl (${escapeHtml(osloTime(crawl.finishedAt))}): ${tall(crawl.skipped)} sider hoppet over (stengt av robots.txt), ${tall(crawl.failed)} feilet.</p>` : ''}

<h2>Oversikt</h2>
<figure><figcaption>Dager siden siste innholdsendring per kilde</figcaption>${hbarChart('chart-days', 'Dager siden siste innholdsendring per kilde', daysBars)}</figure>
<figure><figcaption>Innholdsendringer per uke</figcaption>${result.weeks.length === 0 ? '<p>Ingen historikk lagret ennå.</p>' : weekChart(result.weeks)}</figure>
${result.weeks.length === 0 ? '' : weeksTable(result.weeks)}
<figure><figcaption>Status for sidene (fristen er <code>freshness_sla_days</code> for kilden)</figcaption>${hbarChart('chart-status', 'Status for sidene', statusBars(result.pages))}</figure>
<figure><figcaption>Vurdering av gjeldende innhold</figcaption>${hbarChart('chart-review', 'Vurdering av gjeldende innhold', reviewBars)}</figure>

<h2>Utvikling over tid</h2>
${trend.length === 0 ? '<p>Ingen tidligere revisjoner lagret ennå: hver revisjon av hele arbeidsområdet legges til i <code>.eti/audit-history.jsonl</code>.</p>' : trendTable(trend)}

<h2>Kilder</h2>
${sourcesTable(result)}

<h2>Per eier</h2>
${ownersTable(result)}

<h2>${opts.allPages ? 'Alle sider' : 'Sider som trenger oppfølging'}</h2>
${pages.length === 0 ? '<p>Ingen.</p>' : pagesTable(pages, names, opts.allPages ? 'Alle sider' : 'Sider som trenger oppfølging', opts.reviewUrl)}

<h2>Ødelagte lenker</h2>
${result.brokenLinks.length === 0 ? `<p>${noLinks}</p>` : linksTable(result)}

${GLOSSARY}
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
