import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { SESSION_COOKIE } from '../../src/auth/request-context.js';
import { DEFAULT_CLIENT_DIR } from '../../src/web/web-client.js';
import { PASSWORD, uniqueName } from '../helpers/accounts.js';
import { closeAtProcessEnd, processScopeOpen } from '../harness/process-scope.js';

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

/**
 * What a browser suite holds of the browser: the contexts it opens (each with its own cookies, storage and cache, as
 * a separate profile has) and `close()`, which closes them (but for the readers' pages handed back, see
 * idleReaders). Inside the harness's groups the Chromium behind it is shared by the group's browser suites, one after
 * another: a launch cost about a CPU-second, a context a few hundredths. Run on its own, a suite has a Chromium of its
 * own, which `close()` closes.
 */
export interface TestBrowser {
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

let shared: Promise<Browser> | null = null;

/** A browser for a suite (see TestBrowser): the group's Chromium, launched by its first browser suite. */
export async function openBrowser(): Promise<TestBrowser> {
  requireBuiltClient();
  if (!processScopeOpen()) return lease(await launchChromium(), true);
  if (!shared) {
    shared = launchChromium();
    closeAtProcessEnd(async () => {
      const browser = await shared?.catch(() => null);
      shared = null;
      await browser?.close();
    });
  }
  let browser = await shared;
  // One that crashed under an earlier suite is replaced, for this suite not to fail for another's sake.
  if (!browser.isConnected()) {
    shared = launchChromium();
    browser = await shared;
  }
  return lease(browser, false);
}

/** What newReader needs of a suite's TestBrowser: the Chromium behind it, and the contexts the suite holds. */
const leases = new WeakMap<TestBrowser, { browser: Browser; contexts: Set<BrowserContext> }>();

function lease(browser: Browser, own: boolean): TestBrowser {
  const contexts = new Set<BrowserContext>();
  const leased: TestBrowser = {
    async newContext(options) {
      const context = await browser.newContext(options);
      contexts.add(context);
      context.once('close', () => contexts.delete(context));
      return context;
    },
    async close() {
      if (own) return browser.close();
      // The readers' pages its tests closed stay, reset, for the group's next suites; whatever else is open goes.
      const idle = new Set(idleReaders.get(browser)?.map((reader) => reader.context));
      await Promise.all([...contexts].filter((context) => !idle.has(context)).map((context) => context.close()));
    },
  };
  leases.set(leased, { browser, contexts });
  return leased;
}

/**
 * The readers' pages (newReader) that tests have closed, kept open to be handed to the next tests, by Chromium: the
 * next ones of the suite, and inside the harness's groups those of the group's next suites too. A new page starts a
 * renderer process, which with the context it lives in cost about a CPU-second, where going to a new address in an
 * open one cost a quarter of that. Each is handed over reset (see recycle), as a fresh one would be: what recycle
 * cannot undo must go with the test that did it (a DevTools session detached, an init script disposed).
 */
const idleReaders = new WeakMap<Browser, KeptReader[]>();

interface Reader {
  context: BrowserContext;
  page: Page;
}

interface KeptReader extends Reader {
  /** Every origin the context's pages and frames asked something of: the ones whose storage recycle clears. */
  origins: Set<string>;
  /** The DevTools session that holds the test's time zone and locale (newReader's `place`), detached by recycle. */
  emulation: CDPSession | null;
}

/**
 * A reader's time zone and locale, as the context options of the same names set them for the page's dates and numbers
 * (Intl's defaults). Unlike the context option, `locale` leaves navigator.language and the Accept-Language header as
 * they are: the client reads neither.
 */
export interface ReaderPlace {
  timezoneId?: string;
  locale?: string;
}

/**
 * A reader's page: a fresh browser context (its own cookies and storage), the default timeout shortened, in `place`'s
 * time zone and locale when given. Close it with the context given here, which hands the page on to the next test
 * (see idleReaders): `page.context()` is the browser's own, whose close() ends the page with it.
 */
export async function newReader(browser: TestBrowser, place: ReaderPlace = {}): Promise<Reader> {
  const held = leases.get(browser);
  if (!held) throw new Error('newReader: not a TestBrowser from openBrowser()');
  let idle = idleReaders.get(held.browser);
  if (!idle) idleReaders.set(held.browser, (idle = []));
  let reader = idle.pop();
  while (reader && reader.page.isClosed()) reader = idle.pop();
  if (reader) {
    // Closed with the suite's other contexts if its test leaves it open.
    held.contexts.add(reader.context);
  } else {
    const context = await browser.newContext({ viewport: READER_VIEWPORT });
    const origins = new Set<string>();
    context.on('request', (request) => {
      const { protocol, origin } = new URL(request.url());
      if (protocol === 'http:' || protocol === 'https:') origins.add(origin);
    });
    reader = { context, page: await context.newPage(), origins, emulation: null };
  }
  reader.page.setDefaultTimeout(TIMEOUT);
  if (place.timezoneId || place.locale) {
    // What playwright sets for the context options, here for as long as this session stays attached.
    reader.emulation = await reader.context.newCDPSession(reader.page);
    if (place.timezoneId)
      await reader.emulation.send('Emulation.setTimezoneOverride', { timezoneId: place.timezoneId });
    if (place.locale) await reader.emulation.send('Emulation.setLocaleOverride', { locale: place.locale });
  }
  return { context: returnedOnClose(reader, idle), page: reader.page };
}

const READER_VIEWPORT = { width: 1280, height: 900 };

/** The reader's context, whose `close()` gives its page back to the suite's idle readers instead. */
function returnedOnClose(reader: KeptReader, idle: KeptReader[]): BrowserContext {
  return new Proxy(reader.context, {
    get(target, property) {
      if (property === 'close') return () => recycle(reader, idle);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Leaves nothing of the test that used the page: its other tabs closed, its listeners and routes gone, the app's page
 * left (its live connection, its timers), cookies, storage and the HTTP cache emptied, back online at the reader's
 * size, colour scheme, time zone and locale. A page that cannot be reset is closed with its context.
 *
 * Cheaper than playwright's own reset, which cost more than the page it saved: the page leaves for about:blank by
 * its own script (a navigation the browser starts itself puts the blank page in a renderer process of its own, and
 * the next address in another), and the storage is cleared by the browser (Storage.clearDataForOrigin) for every
 * origin the context asked something of, where setStorageState opened a page on each one to clear it from inside.
 * Session storage, which belongs to the tab and outlives its pages, is cleared in each of the page's frames first,
 * and with it their local storage.
 */
async function recycle(reader: KeptReader, idle: KeptReader[]): Promise<void> {
  const { context, page } = reader;
  try {
    if (page.isClosed()) throw new Error('closed');
    await Promise.all(
      context
        .pages()
        .filter((other) => other !== page)
        .map((other) => other.close()),
    );
    page.removeAllListeners();
    await reader.emulation?.detach();
    reader.emulation = null;
    await page.unrouteAll();
    await context.unrouteAll();
    await Promise.all(page.frames().map((frame) => frame.evaluate(CLEAR_FRAME_STORAGE).catch(() => undefined)));
    await leave(page);
    await context.clearCookies();
    const cdp = await context.newCDPSession(page);
    for (const origin of reader.origins) await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
    reader.origins.clear();
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    await context.clearPermissions();
    await context.setOffline(false);
    await page.setViewportSize(READER_VIEWPORT);
    await page.emulateMedia({ media: null, colorScheme: 'light', reducedMotion: 'no-preference' });
    idle.push(reader);
  } catch {
    await context.close();
  }
}

/**
 * Browser code as text (the tests' own TypeScript has no DOM types). A frame of another site than its page's keeps
 * its storage apart from its site's own (partitioned, where the browser lets it have any), which clearing by origin
 * may not reach. A frame refused storage, or of an opaque origin, has none to clear.
 */
const CLEAR_FRAME_STORAGE = 'try { sessionStorage.clear(); } catch {} try { localStorage.clear(); } catch {}';

/** Goes to about:blank from the page's own script (see recycle), or as the browser would when the page has none. */
async function leave(page: Page): Promise<void> {
  if (page.url() === 'about:blank') return;
  try {
    await page.evaluate(`location.href = 'about:blank'`);
    // Nothing in the client holds a page back (no beforeunload); a test's page that does is left the other way.
    await page.waitForURL('about:blank', { timeout: 2_000 });
  } catch {
    await page.goto('about:blank');
  }
}

/** Headless Chromium as this machine needs it: no sandbox (root), no background traffic, a fresh profile. */
function launchChromium(): Promise<Browser> {
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

/**
 * A reader's page (newReader) opened at `url` already signed in as `account` (see openSignedIn), for the flows that
 * are not about signing in.
 */
export async function signedInReaderAt(browser: TestBrowser, account: { token: string }, url: string): Promise<Reader> {
  const reader = await newReader(browser);
  await openSignedIn(reader.page, account, url);
  return reader;
}

/**
 * Opens `url` in the page signed in as `account`: its session cookie is set before the load, as a sign-in leaves it,
 * and the header names the reader. Going through the dialog instead drew the page again as the reader's and made its
 * live connection again, a few tenths of a CPU-second per flow; the dialog itself is covered by sign-in-dialog.e2e.ts
 * and the few flows that still sign in through it (a report, a banned reader, a moderator on /moderation). The token
 * is the browser's session: a flow that signs out and still writes with the account's token passes another session.
 */
export async function openSignedIn(page: Page, account: { token: string }, url: string): Promise<void> {
  await page.context().addCookies([{ name: SESSION_COOKIE, value: account.token, url: new URL(url).origin }]);
  await page.goto(url);
  await page.getByText('Signed in as').waitFor();
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
