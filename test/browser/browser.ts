import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { DEFAULT_CLIENT_DIR } from '../../src/web/web-client.js';
import { PASSWORD, uniqueName } from '../helpers/accounts.js';

/** Debian's Chromium (`apt-get install chromium`); no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Why the browser suites cannot run here, or false when they can. Without Chromium they are skipped only outside CI:
 * in CI (`CI` set, as .ci/run installs Chromium) a missing browser is a failure, not a skip. A client that was not
 * built fails the suite here, as its file is loaded, before it starts an app: found later, in `before`, the app it had
 * started beside the browser was never closed, and the test process waited on its connections for good.
 */
export function browserSkipReason(): string | false {
  if (!existsSync(CHROMIUM) && !process.env.CI)
    return `no Chromium at ${CHROMIUM} (apt-get install chromium); browser tests skipped outside CI`;
  requireBuiltClient();
  return false;
}

function requireBuiltClient(): void {
  if (!existsSync(path.join(DEFAULT_CLIENT_DIR, 'index.html')))
    throw new Error(`The web client is not built (${DEFAULT_CLIENT_DIR}): run \`npm run build\` first.`);
}

/** Headless Chromium as this machine needs it: no sandbox (root), no background traffic, a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  requireBuiltClient();
  // playwright-core gives every launch a new, empty --user-data-dir of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
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

/** Default wait of the browser suites: long enough for a loaded CI machine, short enough to fail fast. */
export const TIMEOUT = 10_000;

/** A reader's page: a fresh browser context (its own cookies and storage), the default timeout shortened. */
export async function newReader(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  return { context, page };
}

/** Signs in through the header's dialog, as a person would, and waits until the header says so. */
export async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).click();
  await fillSignIn(page, username, password);
}

/** Fills and sends the open sign-in dialog, and waits until the dialog is gone and the header names the reader. */
export async function fillSignIn(page: Page, username: string, password: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Sign in', exact: true });
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText('Signed in as').waitFor();
  await dialog.waitFor({ state: 'detached' });
}

/** Signs up through the header's dialog with a fresh username, and waits until the header names the new reader. */
export async function signUpThroughForm(
  page: Page,
  displayName: string,
  username = uniqueName('reader'),
  password = PASSWORD,
): Promise<void> {
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign up' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an account' });
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByLabel('Display name').fill(displayName);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByText('Signed in as').waitFor();
  await dialog.waitFor({ state: 'detached' });
}

/** A comment's own `<article>` (its header, body, actions and forms; not its replies), by its author's name. */
export function commentArticle(scope: Page | Locator, author: string): Locator {
  return scope.getByRole('article', { name: `Comment by ${author}`, exact: true });
}
