/**
 * Named benefits and agencies: a benefit, agency or office named in a claim must be named in its
 * spans. Known names (grunnstønad, hjelpestønad, pleiepenger, NAV, Statped, Helfo …) and any word
 * built like one (…stønad, …penger, …trygd, …direktoratet, …tilsynet, …ombudet, …kontoret,
 * …sentralen, …etaten) count. Compared by stem, so «grunnstønaden» is «grunnstønad». Pure.
 */
import { words } from './text.js';

const KNOWN = new Set([
  'nav', 'statped', 'helfo', 'bufdir', 'bufetat', 'husbanken', 'lånekassen', 'helsenorge', 'lovdata', 'statsforvalteren',
  'statsforvaltaren', 'fylkesmannen', 'ppt', 'pp-tenesta', 'pp-tjenesten', 'bpa', 'frambu', 'skatteetaten', 'helsedirektoratet',
  'arbeidstilsynet', 'sivilombudet', 'barneombudet', 'pasientombudet', 'helsetilsynet', 'trygderetten', 'kontantstøtte',
  'barnetrygd', 'uføretrygd', 'barnevernet', 'hjelpemiddelsentralen', 'digitaliseringsdirektoratet', 'digdir', 'udir',
]);
const BUILT_LIKE_A_NAME = /(stønad|stønaden|stønader|stønadene|penger|pengane|pengene|trygd|trygden|direktoratet|direktorat|tilsynet|ombudet|kontoret|kontor|sentralen|etaten|etat)$/;

/** The canonical stem of a name: inflection ends cut, bokmål and nynorsk forms merged. */
function nameStem(w: string): string {
  return w
    .replace(/(ene|ane|en|et|a)$/, (m) => (w.length - m.length >= 4 ? '' : m))
    .replace(/stønaden?$/, 'stønad')
    .replace(/pengane|pengene/, 'penger');
}

/** Names in a claim (lowercase words) that its source text never names. */
export function unnamedEntities(claim: string, source: string): string[] {
  const sourceLower = source.toLowerCase();
  const sourceWords = words(source);
  const out: string[] = [];
  for (const w of words(claim)) {
    const parts = w.split('-');
    const isName = KNOWN.has(w) || parts.some((p) => KNOWN.has(p)) || BUILT_LIKE_A_NAME.test(w);
    if (!isName) continue;
    const s = nameStem(w);
    if (sourceLower.includes(s)) continue;
    if (w === 'nav' && /\bnav\.no\b/.test(sourceLower)) continue;
    if (sourceWords.some((x) => nameStem(x) === s)) continue;
    out.push(w);
  }
  return [...new Set(out)];
}
