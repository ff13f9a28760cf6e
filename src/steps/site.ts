import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeSite } from '../pipeline/site/index.js';
import type { Context } from './context.js';

export interface SiteFlags {
  bundle?: string;
  out?: string;
}

/**
 * The bundle folder to render: `--bundle` as a folder, else as an id under <workspace>/output;
 * without it the bundle output/LATEST names.
 */
export async function bundleDir(ctx: Context, flag: string | undefined): Promise<string> {
  const output = path.join(ctx.workspace, 'output');
  if (flag !== undefined) {
    if (/^[0-9a-z-]+$/.test(flag)) return path.join(output, flag);
    return path.resolve(ctx.io.cwd, flag);
  }
  try {
    const id = (await readFile(path.join(output, 'LATEST'), 'utf8')).trim();
    if (/^[0-9a-z-]+$/.test(id)) return path.join(output, id);
  } catch {
    // fall through
  }
  throw new UsageError(`${path.join(output, 'LATEST')}: no published bundle`, 'Run "eti publish" first, or name one with --bundle ID.');
}

/** Render a published bundle as the preview site; returns where it went. */
export async function runSite(ctx: Context, flags: SiteFlags): Promise<{ dir: string; files: number; bytes: number }> {
  const dir = await bundleDir(ctx, flags.bundle);
  const out = path.resolve(ctx.io.cwd, flags.out ?? path.join(ctx.workspace, 'output', 'site'));
  const r = await writeSite(dir, out);
  const rel = path.relative(ctx.io.cwd, out);
  ctx.info(
    `Wrote the preview site of ${path.basename(dir)} (${r.files} files, ${(r.bytes / 1024).toFixed(0)} KB) to ${rel && !rel.startsWith('..') ? rel : out}`,
  );
  ctx.jsonLine({ type: 'site-result', bundle: path.basename(dir), dir: out, files: r.files, bytes: r.bytes });
  return { dir: out, ...r };
}
