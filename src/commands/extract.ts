import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { builtinDefaults, type ResolvedSource } from '../config/schema.js';
import { CheckFailedError, UsageError } from '../errors.js';
import { extractDocument, extractOptionsFor } from '../pipeline/extract/index.js';
import { isPdf } from '../pipeline/extract/index.js';
import { decodeBody } from '../pipeline/fetch/index.js';
import { BrowserFetcher, FetchError, fetchWithRetry } from '../pipeline/fetch/index.js';
import type { Extracted, ExtractResult } from '../pipeline/types.js';
import type { Context } from '../steps/context.js';
import { checkStore, printStoreCheck } from '../steps/extract-check.js';
import { examples, selectSources } from '../steps/shared.js';

interface ExtractFlags {
  checkStore?: boolean;
  baseUrl?: string;
  source?: string;
  format?: string;
  render?: string;
}

const FORMATS = ['markdown', 'text', 'json'] as const;

/**
 * What eti extracts from one page: a file (HTML or PDF) or a URL, with a source's
 * `content_selector`, `remove` and fetch settings when `--source` names one. For editors tuning
 * selectors without a crawl; nothing is stored.
 */
export async function runExtract(ctx: Context, input: string, flags: ExtractFlags): Promise<Extracted> {
  const format = flags.format ?? 'markdown';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: expected markdown, text or json, got "${format}"`);
  if (flags.render !== undefined && flags.render !== 'http' && flags.render !== 'browser')
    throw new UsageError(`--render: expected http or browser, got "${flags.render}"`);
  if (flags.baseUrl !== undefined && !/^(https?|file):\/\/\S+$/i.test(flags.baseUrl))
    throw new UsageError(`--base-url: expected an http(s) or file URL, got "${flags.baseUrl}"`);
  const source: ResolvedSource | undefined = flags.source ? (await selectSources(ctx, [flags.source]))[0] : undefined;
  const isUrl = /^https?:\/\//i.test(input);

  let result: ExtractResult;
  let where: string;
  if (isUrl) {
    where = input;
    const userAgent = await ctx.userAgent({ withoutConfig: true });
    const opts = {
      userAgent,
      timeoutMs: source?.timeout_ms ?? builtinDefaults.timeout_ms,
      maxBytes: source?.max_bytes ?? builtinDefaults.max_bytes,
      maxRedirects: 5,
      allowPrivateNetwork: source?.allow_private_network ?? builtinDefaults.allow_private_network,
      retries: 1,
      baseDelayMs: 500,
      maxDelayMs: 5000,
    };
    const render = flags.render ?? (source?.render === 'browser' ? 'browser' : 'http');
    let browser: BrowserFetcher | undefined;
    try {
      const fetched =
        render === 'browser'
          ? await (browser = new BrowserFetcher({ executablePath: ctx.env.chromiumPath })).fetch(input, {
              timeoutMs: opts.timeoutMs,
              userAgent,
              allowPrivateNetwork: opts.allowPrivateNetwork,
            })
          : await fetchWithRetry(input, opts);
      if (fetched.status >= 400) throw new CheckFailedError('fetch', `${input}: HTTP ${fetched.status}`);
      const base = flags.baseUrl ?? fetched.finalUrl;
      result = await extractDocument(fetched, extractOptionsFor(source, base));
    } catch (err) {
      // A page that cannot be fetched is a failed check of that page, not a bug: one line, exit 1.
      if (err instanceof FetchError) throw new CheckFailedError(err.code, err.message);
      throw err;
    } finally {
      await browser?.close();
    }
  } else {
    const file = path.resolve(ctx.io.cwd, input);
    where = input;
    if (!existsSync(file)) throw new UsageError(`${input}: no such file`, 'Give a path to an .html or .pdf file, or an http(s) URL.');
    const bytes = new Uint8Array(await readFile(file));
    const base = flags.baseUrl ?? pathToFileURL(file).href;
    const doc = isPdf('', bytes) ? { body: '', raw: bytes } : { body: decodeBody(bytes, undefined) };
    result = await extractDocument(doc, extractOptionsFor(source, base));
  }
  if (!result.ok) throw new CheckFailedError(result.code, `${where}: ${result.reason}`);
  const page = result.page;
  if (ctx.isJson || format === 'json') {
    ctx.jsonLine({ type: 'extracted', ...page });
  } else {
    ctx.info(format === 'text' ? page.text : page.markdown);
    ctx.debug(
      `title: ${page.title} · lang: ${page.lang} · method: ${page.method} · ${page.text.length} characters · dates: ${JSON.stringify(page.dates)}`,
    );
  }
  return page;
}

export function extractCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('extract')
    .description('Print what eti extracts from one page (a file or a URL): Markdown, text or JSON. Stores nothing.')
    .argument('[file-or-url]', 'an .html or .pdf file, or an http(s) URL')
    .option(
      '--check-store',
      'dry run over the store: how many stored pages would get new text under this extractor (with --source: those sources only)',
    )
    .option('--base-url <url>', "the page's URL, for relative links (default: the file's or the fetched URL)")
    .option('-s, --source <id>', "apply this source's content_selector, remove and fetch settings from sources.yaml")
    .option('-f, --format <format>', 'markdown (default), text (the diffed text) or json (everything)')
    .option('--render <mode>', 'for a URL: http (default) or browser (Chromium)')
    .addHelpText(
      'after',
      `${examples([
        'eti extract saved-page.html --base-url https://www.nav.no/grunnstonad',
        'eti extract https://www.nav.no/grunnstonad --source nav-grunnstonad --format text',
        'eti extract veileder.pdf --format json',
        'eti extract --check-store',
      ])}\nUse it to tune a source's content_selector and remove selectors: edit sources.yaml, run again.\n`,
    )
    .action(async (input: string | undefined, flags: ExtractFlags) => {
      if (flags.checkStore) {
        if (input !== undefined) throw new UsageError(`--check-store: give no file or URL, got "${input}"`);
        const c = ctx();
        printStoreCheck(c, await checkStore(c, flags.source ? [flags.source] : undefined));
      } else {
        if (input === undefined)
          throw new UsageError('missing <file-or-url>', 'Give an .html or .pdf file or an http(s) URL, or --check-store.');
        await runExtract(ctx(), input, flags);
      }
      done(0);
    });
}
