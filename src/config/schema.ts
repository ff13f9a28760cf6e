import { z } from 'zod';
import { regexString } from './regex.js';
import { knownFeedNames } from './feed-names.js';
import { checkTopics, topicsSchema } from './topics.js';

/**
 * The one schema for sources.yaml. Strict objects everywhere: an unknown key is an error,
 * not a silent default. Types come from `z.infer`; the JSON Schema in
 * schema/sources.schema.json is generated from this (`eti schema --write`).
 */

const regex = regexString;

const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });

export const renderSchema = z
  .enum(['http', 'browser', 'auto'])
  .describe('http: plain HTTP; browser: headless Chromium; auto: HTTP, and the browser when the text is thin or asks for JavaScript.');

export const audienceSchema = z.enum(['parents', 'youth', 'professionals']).describe('Who summaries are written for.');

export const languageSchema = z.enum(['nb', 'nn']).describe('Written standard of summaries: bokmål (nb) or nynorsk (nn).');

const webhookSchema = z
  .strictObject({
    url: httpUrl.describe('Receiver of the POST; must be https unless allow_private_network is true.'),
    feed: z
      .string()
      .min(1)
      .default('all')
      .describe(
        'Which feed\'s new entries to send: "all", "major", "withdrawn", or "<source|owner|tag|audience>/<slug>/<all|major|withdrawn>".',
      ),
    secret_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')
      .describe('Name of the environment variable holding the signing secret (never the secret itself).'),
    timeout_ms: z.int().min(100).max(120_000).default(10_000).describe('Time allowed for one attempt, in ms.'),
    max_attempts: z
      .int()
      .min(1)
      .max(10)
      .default(5)
      .describe('Attempts before a delivery is given up (5xx, timeouts and network errors are retried with backoff; 4xx is not).'),
    allow_private_network: z.boolean().default(false).describe('Allow plain http and loopback/private receivers (only for tests).'),
  })
  .describe('A receiver told about new bundles.');
export type WebhookConfig = z.infer<typeof webhookSchema>;

/** Settings a source may override; `defaults` sets them for all sources. */
const crawlSettings = {
  render: renderSchema.optional(),
  max_depth: z.int().min(0).max(20).optional().describe('Link hops followed from a start URL (0 = start URLs only).'),
  max_pages: z.int().min(1).max(1_000_000).optional().describe('At most this many pages per source per crawl.'),
  use_sitemap: z.boolean().optional().describe("Also take in-scope URLs from the host's sitemap.xml (and those robots.txt names)."),
  respect_robots: z.boolean().optional().describe('Honour robots.txt (default true). Turn off only for your own test sites.'),
  delay_ms: z
    .int()
    .min(0)
    .max(600_000)
    .optional()
    .describe('Minimum time between two requests to the same host, in ms (robots.txt Crawl-delay wins when larger).'),
  concurrency_per_host: z.int().min(1).max(32).optional().describe('Requests in flight at once to one host.'),
  timeout_ms: z.int().min(100).max(600_000).optional().describe('Total time allowed for one request, in ms.'),
  max_bytes: z.int().min(1024).max(1_000_000_000).optional().describe('Largest body accepted, in bytes (after decompression).'),
  min_text_chars: z
    .int()
    .min(0)
    .max(100_000)
    .optional()
    .describe('With render auto: below this many characters of extracted text, refetch in the browser.'),
  gone_after_failures: z.int().min(1).max(100).optional().describe('Consecutive 404/410 answers before a known page counts as removed.'),
  allow_private_network: z.boolean().optional().describe('Allow loopback/private addresses (only for the demo and tests).'),
  trailing_slash: z
    .enum(['keep', 'add', 'strip'])
    .optional()
    .describe('URL paths: keep as linked, add a trailing slash (not to file names such as .pdf), or strip it; so /a and /a/ are one page.'),
  audience: audienceSchema.optional(),
  language: languageSchema.optional(),
  freshness_sla_days: z
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe('The audit flags a source (and a page) as stale when not fetched successfully within this many days.'),
  declared_max_age_days: z
    .int()
    .min(1)
    .max(36500)
    .optional()
    .describe('The audit says "content may be outdated" when a page\'s own date (modified, else published) is older than this many days.'),
  pending_sla_days: z.int().min(1).max(3650).optional().describe('The audit flags review items pending for longer than this many days.'),
};

export const defaultsSchema = z.strictObject(crawlSettings).describe('Defaults for every source.');

export const sourceSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes')
      .max(80)
      .describe('Stable slug: used in the store, review items and bundles. Never rename it.'),
    name: z.string().min(1).describe('Human-readable name shown to editors.'),
    owner: z.string().min(1).describe('The responsible agency, shown in bundles ("NAV", "Fjordvik kommune").'),
    authority: z
      .enum(['primary', 'secondary'])
      .default('primary')
      .describe('secondary sources are for discovery and cross-checks; bundles mark them.'),
    start_urls: z.array(httpUrl).min(1).describe('Where the crawl starts.'),
    include: z
      .array(regex)
      .default([])
      .describe('Regexes on the whole normalised URL; a followed link must match one (start URLs always count).'),
    exclude: z
      .array(regex)
      .default([])
      .describe('Regexes on the whole normalised URL; a match is never fetched. Exclude wins over include.'),
    allowed_hosts: z
      .array(z.string().min(1))
      .optional()
      .describe('Hosts the crawl may fetch from (and redirect to). Default: the hosts of start_urls, with and without "www.".'),
    content_selector: z.string().min(1).optional().describe('CSS selector of the main content, instead of Readability.'),
    remove: z.array(z.string().min(1)).default([]).describe('CSS selectors of boilerplate to drop before extraction.'),
    ignore: z
      .array(regex)
      .default([])
      .describe(
        'Noise: regexes matched against each line of the text; what they match never counts as a change (added to the built-in counters and copyright years).',
      ),
    ignore_selectors: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Noise: CSS selectors of elements whose text stays in the page but never counts as a change (a "most read" box, a visitor counter).',
      ),
    tags: z.array(z.string().min(1)).default([]).describe('Free tags carried into bundles (e.g. "local:fjordvik").'),
    licence: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Licence of the source\'s content, shown on every published page, feed entry and site page (default "NLOD 2.0", the licence of Norwegian public bodies).',
      ),
    credit: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Credit line the licence asks for, in Norwegian (default for NLOD: "Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av <owner>").',
      ),
    ...crawlSettings,
  })
  .describe('One primary source: a site section crawled as a unit.');

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    version: z.literal(1).describe('Format version of this file.'),
    contact: z.string().min(3).describe('A contact address (e-mail or URL) put in the User-Agent so site owners can reach you.'),
    crawl: z
      .strictObject({
        concurrency: z.int().min(1).max(256).default(8).describe('Requests in flight at once across all hosts.'),
        workers: z
          .int()
          .min(1)
          .max(64)
          .optional()
          .describe(
            'Extraction worker threads (default: one per core). Each costs ~150 MB of memory at its peak; fewer use less memory and extract more slowly.',
          ),
      })
      .default({ concurrency: 8 }),
    summarize: z
      .strictObject({
        provider: z
          .enum(['offline', 'anthropic'])
          .optional()
          .describe('Default offline; anthropic needs ANTHROPIC_API_KEY. A key alone never switches the provider.'),
        model: z.string().min(1).default('claude-sonnet-5-5').describe('Model id for the anthropic provider.'),
        concurrency: z.int().min(1).max(64).default(4).describe('Summaries requested at once.'),
        prices: z
          .record(
            z.string().min(1),
            z.strictObject({
              input: z.number().min(0).describe('USD per million input tokens.'),
              output: z.number().min(0).describe('USD per million output tokens.'),
              cache_write: z.number().min(0).describe('USD per million tokens written to the prompt cache.'),
              cache_read: z.number().min(0).describe('USD per million tokens read from the prompt cache.'),
            }),
          )
          .optional()
          .describe(
            'Prices by model id, USD per million tokens, for cost estimates and --max-cost (built in: claude-sonnet-5-5, claude-sonnet-4-6, claude-sonnet-4-5, claude-haiku-4-5). Batches cost half.',
          ),
        target_lix: z
          .int()
          .min(10)
          .max(80)
          .optional()
          .describe('LIX a summary should stay at or under (default 40); reported per item and run.'),
      })
      .default({ model: 'claude-sonnet-5-5', concurrency: 4 }),
    publish: z
      .strictObject({
        keep: z.int().min(1).max(1000).default(5).describe('Bundles kept in output/ (older ones are deleted).'),
        webhooks: z
          .array(webhookSchema)
          .default([])
          .describe('Receivers told about each new bundle (a signed POST per feed that has new entries).'),
      })
      .default({ keep: 5, webhooks: [] }),
    defaults: defaultsSchema.default({}),
    sources: z.array(sourceSchema).min(1).describe('The sources to crawl.'),
    topics: topicsSchema,
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, number>();
    cfg.sources.forEach((s, i) => {
      const first = seen.get(s.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `duplicate id "${s.id}" (also sources[${first}])` });
      } else seen.set(s.id, i);
    });
    checkWebhooks(cfg, ctx);
    checkTopics(cfg, ctx);
  });

/**
 * Webhook rules zod cannot say field by field: the feed must be one the bundle writes for these
 * sources, and a receiver must be https unless it opts into private (test) addresses.
 */
function checkWebhooks(
  cfg: { publish: { webhooks: WebhookConfig[] }; sources: SourceConfig[]; defaults: { audience?: string | undefined } },
  ctx: z.RefinementCtx,
): void {
  const names = knownFeedNames(
    cfg.sources.map((s) => ({
      id: s.id,
      owner: s.owner,
      tags: s.tags,
      audience: s.audience ?? cfg.defaults.audience ?? builtinDefaults.audience,
    })),
  );
  cfg.publish.webhooks.forEach((w, i) => {
    if (!names.has(w.feed)) {
      ctx.addIssue({
        code: 'custom',
        path: ['publish', 'webhooks', i, 'feed'],
        message: `unknown feed "${w.feed}" (expected e.g. "all", "major", "withdrawn" or "source/<id>/all")`,
      });
    }
    if (!w.url.startsWith('https:') && !w.allow_private_network) {
      ctx.addIssue({
        code: 'custom',
        path: ['publish', 'webhooks', i, 'url'],
        message: `expected an https URL, got "${w.url}" (plain http only with allow_private_network: true)`,
      });
    }
  });
}

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;

/** Built-in defaults under the `defaults:` block; a source's own value wins over both. */
export const builtinDefaults = {
  render: 'auto',
  max_depth: 1,
  max_pages: 500,
  use_sitemap: false,
  respect_robots: true,
  delay_ms: 1000,
  concurrency_per_host: 2,
  timeout_ms: 30_000,
  max_bytes: 10 * 1024 * 1024,
  min_text_chars: 400,
  gone_after_failures: 2,
  allow_private_network: false,
  trailing_slash: 'keep',
  audience: 'parents',
  language: 'nb',
  freshness_sla_days: 7,
  declared_max_age_days: 365,
  pending_sla_days: 14,
} as const satisfies { [K in keyof typeof crawlSettings]-?: unknown };

type Settings = { -readonly [K in keyof typeof builtinDefaults]: NonNullable<SourceConfig[K]> };

/** A source with every crawl setting resolved (source → defaults → built-in). */
export type ResolvedSource = Omit<SourceConfig, keyof Settings | 'licence' | 'credit'> &
  Settings & { licence: string; credit: string; allowed_hosts: string[]; includeRe: RegExp[]; excludeRe: RegExp[]; ignoreRe: RegExp[] };

/** Default licence of a source: the Norwegian Licence for Open Government Data. */
export const DEFAULT_LICENCE = 'NLOD 2.0';

/** The credit line a licence asks for; NLOD names the licensor (NLOD 2.0 § 3, in Norwegian). */
export function defaultCredit(licence: string, owner: string): string {
  return /^NLOD\b/i.test(licence)
    ? `Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av ${owner}.`
    : `Kilde: ${owner}.`;
}

/** Resolve every source's settings; compiles include/exclude once. */
export function resolveSources(cfg: Config): ResolvedSource[] {
  return cfg.sources.map((s) => {
    const settings = {} as Record<string, unknown>;
    for (const key of Object.keys(builtinDefaults) as (keyof typeof builtinDefaults)[]) {
      settings[key] = s[key] ?? cfg.defaults[key] ?? builtinDefaults[key];
    }
    // Default: the start URLs' hosts with and without "www." (nav.no redirects to www.nav.no).
    const hosts =
      s.allowed_hosts ??
      [
        ...new Set(
          s.start_urls.flatMap((u) => {
            const h = new URL(u).hostname.toLowerCase();
            return h.startsWith('www.') ? [h, h.slice(4)] : [h, `www.${h}`];
          }),
        ),
      ].sort();
    const licence = s.licence ?? DEFAULT_LICENCE;
    return {
      ...s,
      ...(settings as Settings),
      licence,
      credit: s.credit ?? defaultCredit(licence, s.owner),
      allowed_hosts: hosts.map((h) => h.toLowerCase()),
      includeRe: s.include.map((r) => new RegExp(r)),
      excludeRe: s.exclude.map((r) => new RegExp(r)),
      // The flags add nothing the schema's check (`new RegExp(s)`) did not accept: with "u", a
      // valid pattern such as "\\-" would throw here instead of being a one-line config error.
      ignoreRe: s.ignore.map((r) => new RegExp(r, 'gi')),
    };
  });
}

/** The JSON Schema for sources.yaml (input form: defaults are optional). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'eti sources.yaml', $id: 'https://github.com/eti-project/eti/schema/sources.schema.json' };
}
