import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { ADMIN_ENV, type Account, bearer, newUser, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, TIMEOUT, type TestBrowser } from './browser.js';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const SLUG = 'why-anti-socialists-talk-about-lenin-even-more-than-socialists';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/**
 * The rules the dark scheme can change the outcome of: it changes colours only (the stylesheet's prefers-color-scheme
 * rule, nothing in the client's code), and these are axe's rules about colours.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * axe-core (the accessibility rules browsers' own audits use) on every view, at desktop and phone width, signed out,
 * signed in and as a moderator: no violation of serious or critical impact (missing labels and names, contrast,
 * roles in the wrong place, duplicate ids, focus traps and the like). At desktop width each view is audited once
 * more in the dark scheme, whose palette must hold the same contrast (the phone's layout has the same colours).
 */
describe('accessibility of the web client (axe-core)', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let axeSource: string;
  let admin: Account;
  let reader: Account;
  let commentId: string;
  let reportedId: string;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ seed: true, env: ADMIN_ENV }), openBrowser()]);
    axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    admin = await signInAdmin(t);
    reader = await newUser(t, uniqueName('a11y'), { displayName: 'Ada Access' });
    const thread = await t.http.get(`/api/articles/${SLUG}/comments`).expect(200);
    commentId = thread.body.items[0].id as string;
    // Something in every queue and list the moderators' view shows.
    const posted = await t.http
      .post(`/api/articles/${SLUG}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({ body: 'A comment to report.' })
      .expect(201);
    reportedId = posted.body.id as string;
    await t.http
      .post(`/api/comments/${posted.body.id}/reports`)
      .set('Authorization', bearer(admin.token))
      .send({ reason: 'spam' })
      .expect(201);
    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(admin.token))
      .send({ reason: 'for the audit', until: new Date(Date.now() + 3_600_000).toISOString() })
      .expect(200);
    await t.http.delete(`/api/moderation/users/${reader.id}/ban`).set('Authorization', bearer(admin.token)).expect(204);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Audits the page as it stands, by every rule or by `rules` only. */
  async function audit(page: Page, where: string, rules?: string[]): Promise<void> {
    if (!(await page.evaluate<boolean>(`typeof axe !== 'undefined'`))) await page.evaluate(axeSource);
    const options = rules ? JSON.stringify({ runOnly: { type: 'rule', values: rules } }) : '{}';
    // Violations, and the checks axe could not decide that name a rule broken outright (a prohibited attribute).
    const found = await page.evaluate<AxeViolation[]>(
      `axe.run(document, ${options}).then((r) => [...r.violations, ...r.incomplete.filter((v) => v.id === 'aria-prohibited-attr')])`,
    );
    const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      serious.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      ),
      [],
      where,
    );
  }

  /**
   * The view on the page, audited in each of the three modes in turn: at desktop width, at phone width, and at
   * desktop width in the dark scheme (by the colour rules: the scheme changes nothing else). The page is resized and
   * its scheme switched in place rather than loaded again in each mode, which cost two thirds of the audit's time in
   * loads and waits: the client lays itself out by its stylesheet's media queries, and what its code measures (a
   * comment's clipping) it measures again on a resize, which has settled by the second frame after.
   */
  async function auditInEveryMode(page: Page, view: string): Promise<void> {
    await audit(page, `desktop: ${view}`);
    await page.setViewportSize(PHONE);
    await nextFrames(page);
    await audit(page, `phone: ${view}`);
    await page.setViewportSize(DESKTOP);
    await page.emulateMedia({ colorScheme: 'dark' });
    await nextFrames(page);
    await audit(page, `desktop, dark scheme: ${view}`, COLOUR_RULES);
    await page.emulateMedia({ colorScheme: 'light' });
  }

  function nextFrames(page: Page): Promise<unknown> {
    return page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))`);
  }

  it('finds no serious violation on any view, at desktop and phone width and in the dark scheme', async () => {
    // The pages' own Content-Security-Policy would refuse the audit's script: bypassed for the audit only.
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true, colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${t.baseUrl}/`);
    await page.getByRole('link', { name: /Why anti-socialists/ }).waitFor();
    await auditInEveryMode(page, 'the list of essays');
    await page.goto(`${t.baseUrl}/articles/${SLUG}`);
    await page.getByText(/^\d+ following$/).waitFor();
    await auditInEveryMode(page, 'the reading view, signed out');
    // The sign-up dialog over it, with its rules, then with a refusal under each field.
    await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an account' });
    await dialog.getByLabel('Username').waitFor();
    await auditInEveryMode(page, 'the sign-up dialog');
    await dialog.getByRole('button', { name: 'Sign up', exact: true }).click();
    await dialog.getByText('Username is missing.').waitFor();
    await auditInEveryMode(page, 'the sign-up dialog, its fields refused');
    // Its sign-in side, a wrong password refused by the server.
    await dialog.getByRole('button', { name: 'Sign in instead' }).click();
    const signIn = page.getByRole('dialog', { name: 'Sign in', exact: true });
    await signIn.getByLabel('Username').fill(reader.username);
    await signIn.getByLabel('Password').fill('not-the-password');
    await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signIn.getByText('Wrong username or password.').waitFor();
    await auditInEveryMode(page, 'the sign-in dialog, the password refused');
    await page.keyboard.press('Escape');
    await signIn.waitFor({ state: 'detached' });
    await page.goto(`${t.baseUrl}/comments/${commentId}`);
    await page.getByRole('link', { name: /Why anti-socialists/ }).waitFor();
    await auditInEveryMode(page, 'a permalink');
    await page.goto(`${t.baseUrl}/users/${reader.username}`);
    await page.getByText('A comment to report.').waitFor();
    await auditInEveryMode(page, 'a profile');
    await page.goto(`${t.baseUrl}/search?q=${encodeURIComponent('comment report')}`);
    await page.locator('.search-result mark').first().waitFor();
    await auditInEveryMode(page, 'search results');

    await context.addCookies([{ name: 'forum_session', value: reader.token, url: t.baseUrl }]);
    await page.goto(`${t.baseUrl}/articles/${SLUG}`);
    await page.getByText('Signed in as').waitFor();
    await page.getByRole('button', { name: 'Reply', exact: true }).first().click();
    await auditInEveryMode(page, 'the reading view, signed in, a reply box open');
    await page.goto(`${t.baseUrl}/account`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await auditInEveryMode(page, 'the account page');
    await page.goto(`${t.baseUrl}/notifications`);
    await page.getByLabel('Show only unread').waitFor();
    await page.locator('.inbox').getByText('Loading…').waitFor({ state: 'hidden' });
    await auditInEveryMode(page, 'the notifications');

    await context.addCookies([{ name: 'forum_session', value: admin.token, url: t.baseUrl }]);
    await page.goto(`${t.baseUrl}/moderation`);
    await page.getByRole('heading', { name: 'Moderation' }).waitFor();
    await page.getByRole('button', { name: 'Reported' }).click();
    await page.getByText('A comment to report.').first().waitFor();
    await auditInEveryMode(page, "the moderators' view");
    const queued = page.getByRole('list', { name: 'Reported comments' }).getByRole('article').first();
    await queued.getByText('History and the author’s record').click();
    await queued.getByText(/removed, \d+ bans? over all time\./).waitFor();
    await auditInEveryMode(page, "a queued comment's history and its author's record");
    // The moderator's menu on a comment, open, then each of its panels (the reported comment's permalink).
    await page.goto(`${t.baseUrl}/comments/${reportedId}`);
    const comment = page.getByRole('article', { name: 'Comment by Ada Access' });
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await comment.getByRole('group', { name: 'Moderate the comment by Ada Access' }).waitFor();
    await auditInEveryMode(page, "a comment's moderator menu, open");
    await comment.getByRole('button', { name: 'See reports' }).click();
    await comment.getByRole('list', { name: 'Reports' }).waitFor();
    await auditInEveryMode(page, "a comment's reports, from the thread");
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await comment.getByRole('button', { name: 'Ban Ada Access…' }).click();
    await comment.getByRole('form', { name: 'Ban Ada Access' }).waitFor();
    await auditInEveryMode(page, 'the ban form, from the thread');
    await comment.getByRole('button', { name: 'Cancel' }).click();
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await comment.getByRole('button', { name: 'Remove…' }).click();
    await comment.getByRole('form', { name: 'Remove the comment by Ada Access' }).waitFor();
    await auditInEveryMode(page, 'the removal form, from the thread');
    await page.goto(`${t.baseUrl}/articles/${SLUG}/edit`);
    await page.getByLabel('Markdown source').waitFor();
    await auditInEveryMode(page, "an admin's edit screen");
    await page.getByLabel('Markdown source').fill('# A new heading\n\nA new paragraph in place of the essay.');
    await page
      .locator('.quote-impact')
      .getByText(/Saving makes a new revision/)
      .waitFor();
    await auditInEveryMode(page, "an admin's edit screen, a change previewed with what it does to the quotes");
    await page.goto(`${t.baseUrl}/articles/new`);
    await page.getByLabel('Markdown source').fill('# A heading\n\nA paragraph of the new essay.');
    await page.getByRole('region', { name: 'Preview' }).getByText('A paragraph of the new essay.').waitFor();
    await auditInEveryMode(page, 'the publish screen with its live preview');
    await page.goto(`${t.baseUrl}/articles/${SLUG}/revisions/1`);
    await page.getByText('Revision 1, as the essay read then.').waitFor();
    await auditInEveryMode(page, 'a past revision');
    await context.close();
  });

  /** Presses Tab until the focused element matches, and says how many presses it took (at most `limit`). */
  async function tabTo(page: Page, matches: string, limit = 400): Promise<number> {
    for (let presses = 1; presses <= limit; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(matches)}) ?? false`))
        return presses;
    }
    assert.fail(`no element matching ${matches} within ${limit} presses of Tab`);
  }

  it('lets a reader reply with the keyboard alone: Tab to Reply, Enter, type, Tab to Post reply, Enter', async () => {
    const writer = await newUser(t, uniqueName('keys'), { displayName: 'Kay Board' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: 'forum_session', value: writer.token, url: t.baseUrl }]);
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(`${t.baseUrl}/articles/${SLUG}`);
    await page.getByText('Signed in as').waitFor();
    await page.getByText(/^\d+ following$/).waitFor();
    // The thread has rendered (the follower count arrives on its own, before or after it): only then is there a
    // first comment to mark, and a Reply button for the Tab presses to reach.
    await page.locator('#discussion li.comment').first().waitFor();
    // The first comment's own Reply button (not a reply's).
    await page.evaluate(`document.querySelector('#discussion li.comment')?.setAttribute('data-audit', 'first')`);
    await tabTo(page, '[data-audit="first"] > article > footer button[aria-expanded]');
    assert.equal(await page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`), 'Reply');
    await page.keyboard.press('Enter');
    // The reply box takes the focus. (A locator, not waitForFunction with a string: past its first try that one is
    // evaluated in the page, which the page's Content-Security-Policy refuses, so it failed whenever it had to wait.)
    await page.locator('[data-audit="first"] textarea:focus').waitFor();
    await page.keyboard.type('Typed without a mouse.');
    await tabTo(page, '[data-audit="first"] form button[type="submit"]', 10);
    assert.equal(await page.evaluate<string>(`document.activeElement?.textContent?.trim() ?? ''`), 'Post reply');
    await page.keyboard.press('Enter');
    await page
      .locator('[data-audit="first"] ol.replies li.comment')
      .filter({ hasText: 'Typed without a mouse.' })
      .waitFor();
    // The box closed and the focus went back to the Reply button, not to the top of the page.
    await page.locator('[data-audit="first"] > article > footer button[aria-expanded]:focus').waitFor();
    // A focus ring is drawn where the keyboard is.
    await tabTo(page, 'button');
    const outline = await page.evaluate<string>(`getComputedStyle(document.activeElement).outlineStyle`);
    assert.notEqual(outline, 'none', 'the focused button shows where the keyboard is');
    await context.close();
  });
});
