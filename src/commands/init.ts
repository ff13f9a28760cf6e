import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { parseConfig } from '../config/load.js';
import { messageOf, UsageError } from '../errors.js';
import { packageRoot } from '../demo/server.js';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';
import { type InitKind, workspaceReadme } from '../steps/init-readme.js';

/** Which sources a new workspace starts with. */
export type { InitKind };

interface InitFlags {
  demo?: boolean;
  sources?: string;
}

/** The modeline VS Code's YAML extension (and others) read: autocomplete and checks in the editor. */
const SCHEMA_LINE = '# yaml-language-server: $schema=./schema/sources.schema.json';

const MINIMAL = `${SCHEMA_LINE}
# What eti crawls. Field reference: "eti schema", or README.md "sources.yaml" in the eti package.
version: 1

# Put in the User-Agent so site owners can reach you: replace with your team's address.
contact: redaksjon@example.invalid

defaults:
  render: auto          # HTTP first; a browser only when the page needs JavaScript
  max_depth: 1
  delay_ms: 1000        # about one request a second per host
  concurrency_per_host: 1

sources:
  - id: nav-grunnstonad
    name: NAV – Grunnstønad
    owner: NAV
    start_urls: ['https://www.nav.no/grunnstonad']
    include: ['^https://(www\\.)?nav\\.no/grunnstonad(/.*)?$']
    freshness_sla_days: 7
    tags: [nav, grunnstonad]
`;

/** The demo site as `eti demo --serve v1` serves it (port 8737), as ordinary sources. */
async function demoSources(root: string): Promise<string> {
  const origin = 'http://127.0.0.1:8737';
  const template = await readFile(path.join(root, 'demo', 'sources.yaml'), 'utf8');
  const body = stripHeader(template)
    .replaceAll('{{origin_re}}', origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .replaceAll('{{origin}}', origin);
  return `${SCHEMA_LINE}\n# The embedded demo site as sources: start it with "eti demo --serve v1" (then v2) in another\n# terminal, and crawl it from here. For real sources: eti init DIR --sources real.\n${body}`;
}

/** The package's sources.yaml (the real Norwegian sources), its repository-specific header replaced. */
async function realSources(root: string): Promise<string> {
  const text = await readFile(path.join(root, 'sources.yaml'), 'utf8');
  return `${SCHEMA_LINE}\n# The primary sources eti was built for (NAV, helsenorge, Helsedirektoratet, municipalities,\n# Statped, Udir, Lovdata, ung.no). Remove what you do not need; a crawl fetches all of them.\n# Field reference: "eti schema", or README.md "sources.yaml" in the eti package.\n${stripHeader(text)}`;
}

/** The leading comment block of a YAML file (what a template says about itself), dropped. */
function stripHeader(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.startsWith('#') || lines[i]!.trim() === '')) i++;
  return lines.slice(i).join('\n');
}

/**
 * Make a workspace in `dir`: sources.yaml (validated before it is written), prompts/, the JSON
 * Schema the editor modeline points at, .gitignore and a README of next steps. Refuses a folder
 * that already has any of these, so nothing of the user's is overwritten. Everything is written
 * into a staging folder inside `dir` first and then renamed into place, so a failure halfway
 * leaves no half workspace that a second `eti init` would refuse.
 */
export async function initWorkspace(dir: string, kind: InitKind): Promise<string[]> {
  const root = packageRoot();
  const targets = ['sources.yaml', 'prompts', 'schema', '.gitignore', 'README.md'];
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new UsageError(`${dir}: is a file, not a folder`, 'Pass a new or empty folder: eti init DIR.');
  const taken = targets.filter((t) => existsSync(path.join(dir, t)));
  if (taken.length > 0) {
    throw new UsageError(
      `${dir}: already has ${taken.join(', ')}; eti init writes nothing there`,
      'Pick a new or empty folder: eti init DIR.',
    );
  }
  const sources = kind === 'real' ? await realSources(root) : kind === 'demo' ? await demoSources(root) : MINIMAL;
  parseConfig(sources, path.join(dir, 'sources.yaml')); // a template that does not validate is a bug, not the user's problem
  let staging: string | undefined;
  try {
    await mkdir(dir, { recursive: true });
    staging = await mkdtemp(path.join(dir, '.eti-init-'));
    await cp(path.join(root, 'prompts'), path.join(staging, 'prompts'), { recursive: true });
    await mkdir(path.join(staging, 'schema'));
    await cp(path.join(root, 'schema', 'sources.schema.json'), path.join(staging, 'schema', 'sources.schema.json'));
    await writeFile(path.join(staging, '.gitignore'), '# the store (large, rebuilt by crawling) and its lock\n.eti/\n');
    await writeFile(path.join(staging, 'README.md'), workspaceReadme(kind));
    await writeFile(path.join(staging, 'sources.yaml'), sources);
    for (const t of targets) await rename(path.join(staging, t), path.join(dir, t));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${dir}: cannot make a workspace there (${code ?? messageOf(err)})`, 'Check the path and its permissions.');
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
  return targets;
}

/** `eti init [DIR] [--demo | --sources real|minimal]`. */
export function initCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('init')
    .description('Make a workspace: sources.yaml, prompts/, .gitignore and a README of next steps.')
    .argument('[dir]', 'the folder to make (default: --workspace, else the current folder)')
    .option('--sources <set>', 'real (default: the Norwegian public sources eti was built for) | minimal (one source to edit)')
    .option('--demo', 'sources for the embedded demo site (eti demo --serve v1), to practise on')
    .addHelpText(
      'after',
      examples(['eti init mitt-arbeid', 'eti init mitt-arbeid --sources minimal', 'eti init ovelse --demo']) +
        '\nA folder that already has sources.yaml, prompts/ or README.md is refused.\n',
    )
    .action(async (dirArg: string | undefined, flags: InitFlags) => {
      const c = ctx();
      const set = flags.sources ?? 'real';
      if (set !== 'real' && set !== 'minimal') throw new UsageError(`--sources: expected real or minimal, got "${set}"`);
      if (flags.demo && flags.sources !== undefined)
        throw new UsageError('--demo and --sources: choose one', 'The demo site is a set of sources of its own.');
      const kind: InitKind = flags.demo ? 'demo' : set;
      const dir = dirArg === undefined ? c.workspace : path.resolve(c.io.cwd, dirArg);
      const written = await initWorkspace(dir, kind);
      const rel = path.relative(c.io.cwd, dir) || '.';
      c.info(`Made an eti workspace in ${dir} (${kind} sources): ${written.join(', ')}.`);
      c.info(`Next: cd ${rel} && eti doctor, then eti crawl (see ${path.join(rel, 'README.md')}).`);
      c.jsonLine({ type: 'init-result', dir, kind, files: written });
      done(0);
    });
}
