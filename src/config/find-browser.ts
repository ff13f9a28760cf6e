import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * Where a Chromium-family browser for `render: browser|auto` comes from, in this order:
 * `ETI_CHROMIUM` (explicit: used even when the file is missing, so a wrong setting is reported
 * rather than silently replaced), a Chrome, Chromium or Edge already installed (Playwright's
 * channel paths plus the distributions' usual ones), then the Chromium `eti browser install`
 * downloads into Playwright's cache.
 */
export type BrowserOrigin = 'ETI_CHROMIUM' | 'installed' | 'playwright';

/** The outcome of `findBrowser`: a path to launch, or `undefined` with what was looked at. */
export interface BrowserChoice {
  /** The executable to launch; `undefined` when nothing was found. */
  path?: string;
  origin?: BrowserOrigin;
  /** True when `path` exists. False for a missing `ETI_CHROMIUM`. */
  isPresent: boolean;
  /** Every path looked at, in order (for `eti doctor --verbose` and tests). */
  tried: string[];
}

/** What discovery reads: injectable so tests pretend to be any platform with any files. */
export interface FindBrowserOptions {
  /** The process environment (ETI_CHROMIUM, LOCALAPPDATA, PROGRAMFILES, PLAYWRIGHT_BROWSERS_PATH, XDG_CACHE_HOME). */
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  arch?: string;
  homedir?: string;
  exists?: (file: string) => boolean;
  /** Path of Playwright's downloaded Chromium; default computed from playwright-core's browsers.json. */
  playwrightChromium?: string | undefined;
}

/** One line an editor can act on when no browser was found (CLI messages, doctor, the crawl's failure). */
export const NO_BROWSER_HINT =
  'install Chrome, Chromium or Edge, or run "eti browser install" to download Chromium, or set ETI_CHROMIUM to a Chromium-family executable';

/** When the chosen path (in practice ETI_CHROMIUM) does not exist. */
export const MISSING_BROWSER_HINT =
  'point ETI_CHROMIUM at a Chrome, Chromium or Edge executable, or unset it so eti uses an installed one or the one "eti browser install" downloads';

// Playwright's channel paths (playwright-core's registry: chrome, chrome-beta, msedge, msedge-beta).
const LINUX = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/opt/google/chrome-beta/chrome',
  '/usr/bin/microsoft-edge-stable',
  '/usr/bin/microsoft-edge',
  '/opt/microsoft/msedge/msedge',
  '/opt/microsoft/msedge-beta/msedge',
];
const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'Google Chrome Beta.app/Contents/MacOS/Google Chrome Beta',
];
const WINDOWS = [
  'Google\\Chrome\\Application\\chrome.exe',
  'Chromium\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
  'Google\\Chrome Beta\\Application\\chrome.exe',
];

/** Paths where an installed Chrome, Chromium or Edge lives on `platform`, most likely first. */
export function installedBrowserPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>, homedir: string): string[] {
  if (platform === 'darwin') {
    return [
      ...MAC_APPS.map((a) => path.posix.join('/Applications', a)),
      ...MAC_APPS.map((a) => path.posix.join(homedir, 'Applications', a)),
    ];
  }
  if (platform === 'win32') {
    const drive = env.HOMEDRIVE;
    const prefixes = [
      env.LOCALAPPDATA,
      env.PROGRAMFILES,
      env['PROGRAMFILES(X86)'],
      drive && `${drive}\\Program Files`,
      drive && `${drive}\\Program Files (x86)`,
    ].filter((p): p is string => typeof p === 'string' && p !== '');
    return prefixes.flatMap((prefix) => WINDOWS.map((suffix) => path.win32.join(prefix, suffix)));
  }
  return LINUX;
}

/**
 * Where `eti browser install` (Playwright's installer) puts Chromium on this machine, whether or
 * not it is there: `<cache>/ms-playwright/chromium-<revision>/<platform dir>/<executable>`, as
 * playwright-core's registry computes it. `undefined` on a platform Playwright has no build for.
 */
export function playwrightChromiumPath(opts: {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  homedir: string;
  revision: string;
}): string | undefined {
  const { env, platform, arch, homedir } = opts;
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const cache =
    platform === 'linux'
      ? env.XDG_CACHE_HOME || join(homedir, '.cache')
      : platform === 'darwin'
        ? join(homedir, 'Library', 'Caches')
        : platform === 'win32'
          ? env.LOCALAPPDATA || join(homedir, 'AppData', 'Local')
          : undefined;
  const custom = env.PLAYWRIGHT_BROWSERS_PATH;
  const registry = custom && custom !== '0' ? custom : cache && join(cache, 'ms-playwright');
  const isArm = arch === 'arm64';
  const exe =
    platform === 'linux'
      ? [isArm ? 'chrome-linux-arm64' : 'chrome-linux64', 'chrome']
      : platform === 'darwin'
        ? [isArm ? 'chrome-mac-arm64' : 'chrome-mac-x64', 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing']
        : platform === 'win32'
          ? ['chrome-win64', 'chrome.exe']
          : undefined;
  if (!registry || !exe) return undefined;
  return join(registry, `chromium-${opts.revision}`, ...exe);
}

/** The Chromium revision this playwright-core downloads (its browsers.json); `undefined` if unreadable. */
export function playwrightChromiumRevision(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('playwright-core/package.json')), 'browsers.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { browsers: { name: string; revision: string }[] };
    return json.browsers.find((b) => b.name === 'chromium')?.revision;
  } catch {
    return undefined;
  }
}

/** Choose the browser to launch (see `BrowserOrigin` for the order). Reads the file system only through `exists`. */
export function findBrowser(opts: FindBrowserOptions): BrowserChoice {
  const exists = opts.exists ?? existsSync;
  const explicit = opts.env.ETI_CHROMIUM;
  if (explicit) return { path: explicit, origin: 'ETI_CHROMIUM', isPresent: exists(explicit), tried: [explicit] };
  const platform = opts.platform ?? process.platform;
  const homedir = opts.homedir ?? os.homedir();
  const tried: string[] = [];
  for (const candidate of installedBrowserPaths(platform, opts.env, homedir)) {
    tried.push(candidate);
    if (exists(candidate)) return { path: candidate, origin: 'installed', isPresent: true, tried };
  }
  const revision = 'playwrightChromium' in opts ? undefined : playwrightChromiumRevision();
  const downloaded =
    'playwrightChromium' in opts
      ? opts.playwrightChromium
      : revision && playwrightChromiumPath({ env: opts.env, platform, arch: opts.arch ?? process.arch, homedir, revision });
  if (downloaded) {
    tried.push(downloaded);
    if (exists(downloaded)) return { path: downloaded, origin: 'playwright', isPresent: true, tried };
  }
  return { isPresent: false, tried };
}
