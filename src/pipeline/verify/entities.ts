/**
 * Named benefits and agencies: a benefit, agency or office named in a claim must be named in its
 * spans. Known names (grunnstønad, hjelpestønad, pleiepenger, NAV, Statped, Helfo …) and any word
 * built like one (…stønad, …penger, …trygd, …direktoratet, …tilsynet, …ombudet, …kontoret,
 * …sentralen, …etaten) count. Compared by stem, so «grunnstønaden» is «grunnstønad». Pure.
 */
import { words } from './text.js';

const AGENCIES = new Set([
  'nav',
  'statped',
  'helfo',
  'bufdir',
  'bufetat',
  'husbanken',
  'lånekassen',
  'helsenorge',
  'lovdata',
  'statsforvalteren',
  'statsforvaltaren',
  'fylkesmannen',
  'ppt',
  'pp-tenesta',
  'pp-tjenesten',
  'frambu',
  'skatteetaten',
  'helsedirektoratet',
  'arbeidstilsynet',
  'sivilombudet',
  'barneombudet',
  'pasientombudet',
  'helsetilsynet',
  'trygderetten',
  'barnevernet',
  'hjelpemiddelsentralen',
  'digitaliseringsdirektoratet',
  'digdir',
  'udir',
]);
const BENEFITS = new Set(['bpa', 'kontantstøtte', 'barnetrygd', 'uføretrygd', 'avlastning', 'barnekoordinator', 'støttekontakt']);
const AGENCY_LIKE = /\p{L}{2,}(direktoratet|direktorat|tilsynet|ombudet|kontoret|sentralen|etaten)$/u;
const BENEFIT_LIKE = /\p{L}{2,}(stønad|stønaden|stønader|stønadene|penger|pengane|pengene|trygd|trygden)$/u;

/** The canonical stem of a name: inflection ends cut, bokmål and nynorsk forms merged. */
function nameStem(w: string): string {
  return w
    .replace(/stønad(en|er|ene)?$/, 'stønad')
    .replace(/peng(ane|ene|er)$/, 'penger')
    .replace(/(ene|ane|en|et|a)$/, (m) => (w.length - m.length >= 4 ? '' : m));
}

type NameKind = 'agency' | 'benefit';

/** Whether a lowercase word names an agency or a benefit (null: neither). */
export function kindOf(w: string): NameKind | null {
  const parts = w.split('-');
  if (AGENCIES.has(w) || parts.some((p) => AGENCIES.has(p)) || AGENCY_LIKE.test(w)) return 'agency';
  if (BENEFITS.has(w) || BENEFIT_LIKE.test(w)) return 'benefit';
  return null;
}

/**
 * Names in a claim (lowercase words) that its source text never names. A benefit counts only when
 * the spans name some benefit themselves: a quoted table row or list item («8 232 kroner»,
 * «transport») carries no subject — the caption or heading names it — while a span that names
 * pleiepenger cannot back a claim about omsorgsstønad.
 */
export function unnamedEntities(claim: string, source: string): string[] {
  const sourceWords = words(source);
  const sourceStems = sourceWords.map(nameStem);
  const sourceNamesBenefit = sourceWords.some((w) => kindOf(w) === 'benefit');
  const out: string[] = [];
  for (const w of words(claim)) {
    const kind = kindOf(w);
    if (kind === null || (kind === 'benefit' && !sourceNamesBenefit)) continue;
    const s = nameStem(w);
    if (sourceStems.some((x) => x === s || x.startsWith(s) || (x.endsWith(s) && s.length >= 6))) continue;
    if (w === 'nav' && /\bnav\.no\b/i.test(source)) continue;
    out.push(w);
  }
  // «Direktoratet for e-helse»: a generic head with «for» is a name of its own, not «Helsedirektoratet».
  for (const m of claim.toLowerCase().matchAll(/(?<![\p{L}])(direktoratet|tilsynet|ombudet|kontoret|etaten|sentralen) for ([\p{L}-]+)/gu)) {
    if (!source.toLowerCase().includes(m[0])) out.push(m[0]);
  }
  return [...new Set(out)];
}
