import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserFetcher } from '../../../src/pipeline/fetch/browser.js';
import { findBrowser, playwrightChromiumPath, playwrightChromiumRevision } from '../../../src/config/find-browser.js';

/** A file system that has exactly `files`. */
const only =
  (...files: string[]) =>
  (p: string) =>
    files.includes(p);

describe('findBrowser', () => {
  it('ETI_CHROMIUM wins, and is reported missing rather than silently replaced', () => {
    const found = findBrowser({
      env: { ETI_CHROMIUM: '/opt/x/chrome' },
      platform: 'linux',
      homedir: '/home/k',
      exists: only('/opt/x/chrome', '/usr/bin/chromium'),
    });
    expect(found).toEqual({ path: '/opt/x/chrome', origin: 'ETI_CHROMIUM', isPresent: true, tried: ['/opt/x/chrome'] });
    const missing = findBrowser({
      env: { ETI_CHROMIUM: '/nope' },
      platform: 'linux',
      homedir: '/home/k',
      exists: only('/usr/bin/chromium'),
    });
    expect(missing).toMatchObject({ path: '/nope', origin: 'ETI_CHROMIUM', isPresent: false });
  });

  it("Linux: Debian's chromium, Google Chrome at Playwright's channel path, Edge", () => {
    const base = { env: {}, platform: 'linux' as const, homedir: '/home/k', playwrightChromium: undefined };
    expect(findBrowser({ ...base, exists: only('/usr/bin/chromium') }).path).toBe('/usr/bin/chromium');
    expect(findBrowser({ ...base, exists: only('/opt/google/chrome/chrome') })).toMatchObject({
      path: '/opt/google/chrome/chrome',
      origin: 'installed',
    });
    expect(findBrowser({ ...base, exists: only('/opt/microsoft/msedge/msedge') }).path).toBe('/opt/microsoft/msedge/msedge');
    expect(findBrowser({ ...base, exists: only('/snap/bin/chromium') }).path).toBe('/snap/bin/chromium');
  });

  it('macOS: the app bundles in /Applications and ~/Applications', () => {
    const base = { env: {}, platform: 'darwin' as const, homedir: '/Users/kari', playwrightChromium: undefined };
    expect(findBrowser({ ...base, exists: only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome') }).path).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
    expect(findBrowser({ ...base, exists: only('/Users/kari/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge') }).path).toBe(
      '/Users/kari/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    );
  });

  it('Windows: LOCALAPPDATA and Program Files, as Playwright looks', () => {
    const env = {
      LOCALAPPDATA: 'C:\\Users\\kari\\AppData\\Local',
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
    };
    const base = { env, platform: 'win32' as const, homedir: 'C:\\Users\\kari', playwrightChromium: undefined };
    expect(findBrowser({ ...base, exists: only('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe') }).path).toBe(
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    );
    expect(findBrowser({ ...base, exists: only('C:\\Users\\kari\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe') }).path).toBe(
      'C:\\Users\\kari\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    );
  });

  it("falls back to Playwright's downloaded Chromium, and reports what it tried when there is none", () => {
    const pw = '/home/k/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
    expect(findBrowser({ env: {}, platform: 'linux', homedir: '/home/k', playwrightChromium: pw, exists: only(pw) })).toMatchObject({
      path: pw,
      origin: 'playwright',
      isPresent: true,
    });
    const none = findBrowser({ env: {}, platform: 'linux', homedir: '/home/k', playwrightChromium: pw, exists: only() });
    expect(none.path).toBeUndefined();
    expect(none.isPresent).toBe(false);
    expect(none.tried).toContain('/usr/bin/chromium');
    expect(none.tried.at(-1)).toBe(pw);
  });
});

describe('playwrightChromiumPath', () => {
  it("is where playwright-core's installer puts Chromium on each platform", () => {
    const revision = playwrightChromiumRevision();
    expect(revision).toMatch(/^\d+$/);
    expect(playwrightChromiumPath({ env: {}, platform: 'linux', arch: 'x64', homedir: '/home/k', revision: '1255' })).toBe(
      '/home/k/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome',
    );
    expect(
      playwrightChromiumPath({ env: { XDG_CACHE_HOME: '/c' }, platform: 'linux', arch: 'arm64', homedir: '/home/k', revision: '1255' }),
    ).toBe('/c/ms-playwright/chromium-1255/chrome-linux-arm64/chrome');
    expect(
      playwrightChromiumPath({
        env: { PLAYWRIGHT_BROWSERS_PATH: '/pw' },
        platform: 'linux',
        arch: 'x64',
        homedir: '/home/k',
        revision: '1',
      }),
    ).toBe('/pw/chromium-1/chrome-linux64/chrome');
    expect(playwrightChromiumPath({ env: {}, platform: 'darwin', arch: 'arm64', homedir: '/Users/k', revision: '1255' })).toBe(
      '/Users/k/Library/Caches/ms-playwright/chromium-1255/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    );
    expect(
      playwrightChromiumPath({ env: { LOCALAPPDATA: 'C:\\L' }, platform: 'win32', arch: 'x64', homedir: 'C:\\U', revision: '1255' }),
    ).toBe(path.win32.join('C:\\L', 'ms-playwright', 'chromium-1255', 'chrome-win64', 'chrome.exe'));
  });
});

describe('BrowserFetcher without a browser', () => {
  it('fails browser-unavailable with one reason that says how to get one', async () => {
    const none = new BrowserFetcher({ executablePath: '' });
    await expect(
      none.fetch('http://127.0.0.1:1/', { timeoutMs: 1000, userAgent: 'eti-test', allowPrivateNetwork: true }),
    ).rejects.toMatchObject({
      code: 'browser-unavailable',
      message:
        'browser: no Chrome, Chromium or Edge found; install Chrome, Chromium or Edge, or run "eti browser install" to download Chromium, or set ETI_CHROMIUM to a Chromium-family executable',
    });
    await none.close();
  });
});
