import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSecret } from '../config/env.js';
import { configLocation } from '../config/load.js';
import { ConfigError, messageOf } from '../errors.js';
import { changesSchema } from '../pipeline/channels/index.js';
import { readDeliveries, recordDeliveries } from '../pipeline/channels/index.js';
import { deliverAll, type DeliveryDeps, type DeliveryRecord, type WebhookTarget } from '../pipeline/channels/index.js';
import {
  collectBundlePages,
  latestBundle,
  publishGuard,
  refusalError,
  writeBundle,
  type PublishResult,
} from '../pipeline/publish/index.js';
import { JudgeCache } from '../pipeline/judge/index.js';
import { writeSite } from '../pipeline/site/index.js';
import type { Context } from './context.js';
import { publishableTopics } from './topics.js';

export interface PublishFlags {
  out?: string;
  check?: string;
  /** Also render the preview site into `<out>/site`. */
  site?: boolean;
  /** Publish a bundle without pages and topic pages on purpose. */
  allowEmpty?: boolean;
  /** Publish a bundle that drops more than half of the published pages on purpose. */
  allowShrink?: boolean;
}

/**
 * The webhooks of sources.yaml with their secrets read from the environment. A variable that is
 * not set is a config error naming the line of its `secret_env`, raised before anything is written.
 */
async function webhookTargets(ctx: Context): Promise<WebhookTarget[]> {
  const { config, file } = await ctx.config();
  const targets: WebhookTarget[] = [];
  for (const [i, w] of config.publish.webhooks.entries()) {
    const secret = readSecret(ctx.io.env, w.secret_env);
    if (secret === undefined) {
      throw new ConfigError(
        `${await configLocation(file, ['publish', 'webhooks', i, 'secret_env'])}: environment variable ${w.secret_env} is not set`,
        'Set it to the secret shared with the receiver.',
      );
    }
    targets.push({
      url: w.url,
      feed: w.feed,
      timeout_ms: w.timeout_ms,
      max_attempts: w.max_attempts,
      allow_private_network: w.allow_private_network,
      secret,
    });
  }
  return targets;
}

/**
 * Publish every approved page into a bundle under output/ (or --out); then, for a new bundle,
 * tell the webhooks. A delivery problem is recorded and reported, never a failure of the publish.
 * A bundle without pages and topic pages, or one that drops more than half of the published pages
 * without approved removals, is refused (`PublishRefusedError`, exit 1): nothing is written and
 * LATEST is left, unless `--allow-empty` / `--allow-shrink`. `deliveries` replaces the webhook
 * clock and sleep (tests).
 */
export async function runPublish(ctx: Context, flags: PublishFlags, opts: { deliveries?: DeliveryDeps } = {}): Promise<PublishResult> {
  const deps = opts.deliveries;
  const { sources, config } = await ctx.config();
  const targets = await webhookTargets(ctx);
  const store = await ctx.store();
  const pages = await collectBundlePages(store, sources, await JudgeCache.open(ctx.workspace));
  const outDir = path.resolve(ctx.io.cwd, flags.out ?? path.join(ctx.workspace, 'output'));
  const topics = await publishableTopics(
    ctx,
    config.topics.map((t) => t.id),
  );
  const refusal = publishGuard(
    await latestBundle(outDir),
    { pageUrls: pages.map((p) => p.url), topicCount: topics.length },
    await store.reviews(),
    { isEmptyAllowed: flags.allowEmpty === true, isShrinkAllowed: flags.allowShrink === true },
  );
  if (refusal) throw refusalError(refusal, ctx.workspace, shownPath(ctx, path.join(outDir, 'LATEST')));
  const result = await writeBundle(pages, outDir, config.publish.keep, topics);
  const shown = shownPath(ctx, result.dir);
  ctx.info(
    result.isNew
      ? `Published ${pages.length} approved page${pages.length === 1 ? '' : 's'}${topics.length > 0 ? ` and ${topics.length} topic page${topics.length === 1 ? '' : 's'}` : ''} to ${shown}`
      : `Nothing new: bundle ${result.bundle.id} (${pages.length} pages) is already published in ${shown}`,
  );
  for (const id of result.pruned) ctx.debug(`pruned old bundle ${id}`);
  ctx.jsonLine({
    type: 'publish-result',
    id: result.bundle.id,
    dir: result.dir,
    pages: pages.length,
    isNew: result.isNew,
    pruned: result.pruned,
  });
  if (flags.site) {
    const site = await writeSite(result.dir, path.join(outDir, 'site'));
    ctx.info(`Wrote the preview site (${site.files} files) to ${path.join(path.relative(ctx.io.cwd, outDir) || '.', 'site')}`);
  }
  if (result.isNew && targets.length > 0) await notify(ctx, targets, result, deps);
  return result;
}

/** A path as the user sees it: relative to the working folder when inside it. */
function shownPath(ctx: Context, file: string): string {
  const rel = path.relative(ctx.io.cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

async function notify(ctx: Context, targets: WebhookTarget[], result: PublishResult, deps?: DeliveryDeps): Promise<void> {
  try {
    // What the bundle itself says changed: the receivers hear exactly what changes.json lists.
    const changes = changesSchema.parse(JSON.parse(await readFile(path.join(result.dir, 'changes.json'), 'utf8')));
    const records = await deliverAll(
      targets,
      result.bundle,
      changes,
      deps ?? { now: ctx.clock, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    );
    await recordDeliveries((await ctx.store()).dir, records);
    for (const r of records) {
      const line = `webhook ${r.outcome}: ${r.url} (${r.feed}, ${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}, ${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'})`;
      if (r.outcome === 'delivered') ctx.info(line);
      else ctx.warn(`${line}: ${lastProblem(r)}`);
      ctx.jsonLine({ type: 'webhook-delivery', ...r });
    }
  } catch (err) {
    // The bundle is published; telling receivers is best effort.
    ctx.warn(`webhooks: not delivered: ${messageOf(err)}`);
  }
}

function lastProblem(r: DeliveryRecord): string {
  const a = r.attempts.at(-1);
  return a?.status !== undefined ? `HTTP ${a.status}` : (a?.error ?? 'no attempt');
}

export async function printDeliveries(ctx: Context): Promise<void> {
  const records = await readDeliveries((await ctx.store()).dir);
  if (records.length === 0) ctx.info('No webhook deliveries recorded.');
  for (const r of records) {
    ctx.info(
      `${r.attempts[0]?.at ?? '-'}  ${r.outcome.padEnd(9)} ${r.bundleId}  ${r.feed}  ${r.url}  ${r.attempts.length} attempt(s), last ${lastProblem(r)}`,
    );
    ctx.jsonLine({ type: 'webhook-delivery', ...r });
  }
}
