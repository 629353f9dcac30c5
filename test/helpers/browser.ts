import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core; no browser is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_MISSING = 'Chromium not installed (apt-get install -y chromium): browser tests skipped';

const REPO_ROOT = new URL('../..', import.meta.url).pathname;
export const WEB_DIR = join(REPO_ROOT, 'dist', 'web');

/**
 * Why browser tests cannot run here, or undefined when they can. With HAVEN_REQUIRE_BROWSER=1 (CI) they
 * never skip: a missing Chromium then fails them in launchChromium.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH) || process.env.HAVEN_REQUIRE_BROWSER === '1') return undefined;
  return CHROMIUM_MISSING;
}

/** Starts headless Chromium with nothing that talks to the network on its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing (apt-get install -y chromium) and HAVEN_REQUIRE_BROWSER=1 requires browser tests`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, name)));
  return newest;
}

/**
 * Builds the web app into dist/web when it is missing or older than its sources, so browser tests always
 * drive the current interface. Returns the directory the server should serve.
 */
export function ensureWebBuilt(): string {
  const index = join(WEB_DIR, 'index.html');
  const sources = Math.max(
    newestChange(join(REPO_ROOT, 'web')),
    newestChange(join(REPO_ROOT, 'vite.config.ts')),
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  }
  return WEB_DIR;
}

export type IsolatedPage = {
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but the test server's host, which were refused. */
  blocked: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
};

/**
 * A fresh browser context and page whose traffic may reach only the test server on 127.0.0.1; any
 * other request is aborted and recorded, so a test can assert that nothing left the machine.
 */
export async function openIsolatedPage(
  browser: Browser,
  baseURL: string,
  locale = 'en-US',
): Promise<IsolatedPage> {
  const context = await browser.newContext({
    baseURL,
    locale,
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
  });
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.origin);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, blocked, pageErrors };
}
