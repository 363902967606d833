import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, openSignedIn, type TestBrowser } from './browser.js';

describe('the moderators’ view: bans, banned words, log', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let admin: Account;
  let moderator: Account;
  let article: ArticleFixture;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    admin = await signInAdmin(t);
    moderator = await newUser(t, uniqueName('mod'), { displayName: 'Morgan Moderator' });
    await t.http
      .patch(`/api/admin/users/${moderator.id}`)
      .set('Authorization', bearer(admin.token))
      .send({ role: 'moderator' })
      .expect(200);
    article = await new Fixtures(t.app).newArticle();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const as = (who: Account) => ({ Authorization: bearer(who.token) });

  it('lifts a ban, edits the banned words, and shows both in the log with the moderator’s name', async () => {
    const rowdy = await newUser(t, uniqueName('rowdy'), { displayName: 'Rowdy Reader' });
    const quiet = await newUser(t, uniqueName('quiet'), { displayName: 'Quiet Quentin' });
    const until = new Date(Date.now() + 86_400_000).toISOString();
    await t.http
      .post(`/api/moderation/users/${rowdy.id}/ban`)
      .set(as(admin))
      .send({ reason: 'Shouting at everyone' })
      .expect(200);
    await t.http
      .post(`/api/moderation/users/${quiet.id}/ban`)
      .set(as(admin))
      .send({ reason: 'A day to cool off', until })
      .expect(200);
    const post = (who: Account, body: string) =>
      t.http.post(`/api/articles/${article.slug}/comments`).set(as(who)).send({ body });
    assert.equal((await post(rowdy, 'Before the unban')).status, 403, 'the ban holds');

    const { context, page } = await newReader(browser);
    await openSignedIn(page, moderator, `${t.baseUrl}/moderation`);
    await page.getByRole('heading', { name: 'Moderation', level: 1 }).waitFor();

    // The bans: both banned users, with reason and end; Rowdy's ban is lifted from the page, by keyboard.
    const bans = page.getByRole('list', { name: 'Banned users' });
    const rowdyItem = bans.getByRole('listitem').filter({ hasText: 'Rowdy Reader' });
    const quietItem = bans.getByRole('listitem').filter({ hasText: 'Quiet Quentin' });
    await rowdyItem.waitFor();
    assert.match(await rowdyItem.innerText(), /Shouting at everyone/);
    assert.match(await rowdyItem.innerText(), /No end date/);
    assert.match(await rowdyItem.innerText(), new RegExp(`@${rowdy.username}`));
    assert.match(await quietItem.innerText(), /A day to cool off/);
    assert.match(await quietItem.innerText(), /Until /);
    // Who banned them: name, @username and role badge, as authors show everywhere.
    assert.match(await quietItem.innerText(), new RegExp(`by admin @${admin.username} Admin`));
    await page.locator('#bans').screenshot({ path: '/tmp/i-moderation-bans-desktop.png' });
    const unban = bans.getByRole('button', { name: 'Unban Rowdy Reader' });
    await unban.focus();
    await page.keyboard.press('Enter');
    await rowdyItem.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('Rowdy Reader may write again.').waitFor();
    assert.equal(await quietItem.count(), 1, 'the other ban stays listed');

    // The API agrees: Rowdy is off the list and writes again.
    const listed = await t.http.get('/api/moderation/bans').set(as(moderator)).expect(200);
    const bannedIds = (listed.body.items as { user: { id: string } }[]).map((b) => b.user.id);
    assert.ok(!bannedIds.includes(rowdy.id), 'the API no longer lists the lifted ban');
    assert.ok(bannedIds.includes(quiet.id));
    assert.equal((await post(rowdy, 'Free to speak again')).status, 201, 'the unbanned user writes again');

    // The banned words: typed one per line, saved, shown as the server stored them.
    const words = page.getByLabel('Banned words and phrases, one per line');
    await words.fill('Knave\n\n  scoundrel of the worst kind  ');
    await page.getByRole('button', { name: 'Save the list' }).click();
    await page.getByRole('status').getByText('Saved: 2 entries.').waitFor();
    assert.equal(await words.inputValue(), 'knave\nscoundrel of the worst kind');
    const stored = await t.http.get('/api/moderation/banned-words').set(as(moderator)).expect(200);
    assert.deepEqual(stored.body.words, ['knave', 'scoundrel of the worst kind']);

    // The server's validation error reaches the page, and the stored list stays.
    await words.fill(`knave\n${'x'.repeat(101)}`);
    await page.getByRole('button', { name: 'Save the list' }).click();
    const alert = page.locator('#banned-words').getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /100/);
    await words.fill('knave\nscoundrel of the worst kind');

    // A comment with a banned word, posted through the API, lands in the pending queue on the page.
    const held = await post(rowdy, 'You knave, you utter knave.');
    assert.equal(held.status, 201);
    assert.equal(held.body.status, 'pending');
    const pending = page
      .getByRole('list', { name: 'Pending comments' })
      .getByRole('article', { name: 'Comment by Rowdy Reader' });
    await pending.getByText('You knave, you utter knave.').waitFor();
    await pending.getByLabel('Reason').fill('Fair enough in context');
    await pending.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing here. Well done.').waitFor();

    // The log: newest first, each action with the moderator's name, @username and role badge; the comment links to
    // its permalink.
    const log = page.getByRole('list', { name: 'Moderation log' });
    const entries = log.getByRole('listitem');
    await entries
      .first()
      .getByText(/approved comment/)
      .waitFor();
    const texts = await entries.allInnerTexts();
    const morgan = `Morgan Moderator @${moderator.username} Moderator`;
    const theAdmin = `admin @${admin.username} Admin`;
    assert.match(texts[0], new RegExp(`^${morgan} approved comment ${held.body.id} on Essay `));
    assert.match(texts[0], /Reason: Fair enough in context/);
    assert.match(texts[1], new RegExp(`^${morgan} updated the banned words: added knave, scoundrel of the worst kind`));
    assert.match(texts[2], new RegExp(`^${morgan} lifted the ban on Rowdy Reader \\(@${rowdy.username}\\)`));
    assert.match(texts[3], new RegExp(`^${theAdmin} banned Quiet Quentin .* until `));
    assert.match(texts[3], /Reason: A day to cool off/);
    assert.match(texts[4], new RegExp(`^${theAdmin} banned Rowdy Reader .* without an end date`));
    await page.locator('#log').screenshot({ path: '/tmp/i-moderation-log-desktop.png' });
    const link = entries.first().getByRole('link', { name: `comment ${held.body.id}` });
    assert.equal(await link.getAttribute('href'), `/comments/${held.body.id}`);
    await link.click();
    await page.waitForURL(`**/comments/${held.body.id}`);
    await page.getByText('You knave, you utter knave.').waitFor();

    await context.close();
  });

  it('pages the bans and the log with their More buttons, in the API’s order, each once', async () => {
    for (let i = 0; i < 21; i++) {
      const user = await newUser(t, uniqueName('paged'), { displayName: `Paged Person ${i}` });
      await t.http
        .post(`/api/moderation/users/${user.id}/ban`)
        .set(as(admin))
        .send({ reason: `Paging ${i}` })
        .expect(200);
    }
    /** Every item of a list through the API, following its cursor. */
    const all = async <T>(path: string): Promise<T[]> => {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get(path)
          .query(cursor ? { limit: 100, cursor } : { limit: 100 })
          .set(as(moderator))
          .expect(200);
        items.push(...(res.body.items as T[]));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      return items;
    };
    const bansNow = await all<{ user: { displayName: string } }>('/api/moderation/bans');
    const logNow = await all<{ id: string }>('/api/moderation/log');
    assert.ok(bansNow.length > 20 && bansNow.length <= 40, `two pages of bans: ${bansNow.length}`);
    assert.ok(logNow.length > 20 && logNow.length <= 40, `two pages of log: ${logNow.length}`);

    const { context, page } = await newReader(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await openSignedIn(page, moderator, `${t.baseUrl}/moderation`);

    const banItems = page.getByRole('list', { name: 'Banned users' }).getByRole('listitem');
    await banItems.nth(19).waitFor();
    assert.equal(await banItems.count(), 20, 'the first page of bans');
    await page.getByRole('button', { name: 'More bans' }).click();
    await banItems.nth(bansNow.length - 1).waitFor();
    await page.getByRole('button', { name: 'More bans' }).waitFor({ state: 'detached' });
    const names = (await banItems.locator('.mod-row-title .author').allInnerTexts()).map((n) => n.trim());
    assert.deepEqual(
      names,
      bansNow.map((b) => b.user.displayName),
      'every ban once, newest first, as the API lists them',
    );

    const logItems = page.getByRole('list', { name: 'Moderation log' }).getByRole('listitem');
    await logItems.nth(19).waitFor();
    assert.equal(await logItems.count(), 20, 'the first page of the log');
    await page.getByRole('button', { name: 'More of the log' }).click();
    await logItems.nth(logNow.length - 1).waitFor();
    await page.getByRole('button', { name: 'More of the log' }).waitFor({ state: 'detached' });
    assert.equal(await logItems.count(), logNow.length, 'every log entry once');
    await page.locator('#bans').screenshot({ path: '/tmp/i-moderation-bans-phone.png' });
    await page.locator('#log').screenshot({ path: '/tmp/i-moderation-log-phone.png' });

    await context.close();
  });
  it('opens on the queue that holds something, and keeps each tab’s count and the header’s current live', async () => {
    const writer = await newUser(t, uniqueName('writer'), { displayName: 'Wendy Writer' });
    const reporter = await newUser(t, uniqueName('reporter'));
    const posted = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set(as(writer))
      .send({ body: 'A comment someone will report.' })
      .expect(201);
    await t.http.post(`/api/comments/${posted.body.id}/reports`).set(as(reporter)).send({ reason: 'spam' }).expect(201);
    const start = (await t.http.get('/api/moderation/summary').set(as(moderator)).expect(200)).body as {
      pending: number;
      reported: number;
      removed: number;
    };
    assert.equal(start.pending, 0, 'the earlier tests left nothing pending');

    const { context, page } = await newReader(browser);
    await openSignedIn(page, moderator, `${t.baseUrl}/moderation`);
    const tabs = page.getByRole('group', { name: 'Queue' });
    // Pending is empty: the page opens on the reports, with each tab's count.
    await tabs.getByRole('button', { name: `Reported (${start.reported})`, pressed: true }).waitFor();
    await tabs.getByRole('button', { name: 'Pending (0)', pressed: false }).waitFor();
    await tabs.getByRole('button', { name: `Removed (${start.removed})` }).waitFor();
    await page.getByRole('list', { name: 'Reported comments' }).getByText('A comment someone will report.').waitFor();
    const header = page.getByRole('navigation', { name: 'Account' });
    /** The header's link to the queues, named by its word and the count in words (the badge is for the eye). */
    const waitingLink = (count: number) => new RegExp(`^Moderation\\W+${count} waiting$`);
    await header.getByRole('link', { name: waitingLink(start.reported) }).waitFor();

    // A comment held for review: the Pending tab and the header count it, without a reload.
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set(as(moderator))
      .send({ premoderation: true })
      .expect(200);
    await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set(as(writer))
      .send({ body: 'Held until someone looks.' })
      .expect(201);
    await tabs.getByRole('button', { name: 'Pending (1)' }).waitFor();
    await header.getByRole('link', { name: waitingLink(start.reported + 1) }).waitFor();
    await page.screenshot({ path: '/tmp/i-moderation-counts-desktop.png' });

    // Deciding on the reported comment from its tab moves the counts too.
    const item = page
      .getByRole('list', { name: 'Reported comments' })
      .getByRole('article', { name: 'Comment by Wendy Writer' });
    await item.getByRole('button', { name: 'Remove' }).click();
    await tabs.getByRole('button', { name: `Removed (${start.removed + 1})` }).waitFor();
    await tabs.getByRole('button', { name: `Reported (${start.reported - 1})` }).waitFor();
    await header.getByRole('link', { name: waitingLink(start.reported) }).waitFor();
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set(as(moderator))
      .send({ premoderation: false })
      .expect(200);
    await context.close();
  });
  it('features a comment from the thread: the mark and the featured list reach a reader’s open page live', async () => {
    const writer = await newUser(t, uniqueName('featured'), { displayName: 'Fiona Featured' });
    const posted = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set(as(writer))
      .send({ body: 'A comment worth reading first.' })
      .expect(201);
    const { context: reader, page: readerPage } = await newReader(browser);
    await readerPage.goto(`${t.baseUrl}/articles/${article.slug}`);
    await readerPage.getByRole('article', { name: 'Comment by Fiona Featured' }).waitFor();
    assert.equal(await readerPage.getByRole('heading', { name: 'Featured by the moderators' }).count(), 0);

    const { context, page } = await newReader(browser);
    await openSignedIn(page, moderator, `${t.baseUrl}/articles/${article.slug}`);
    const comment = page.getByRole('article', { name: 'Comment by Fiona Featured' });
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await comment.getByRole('button', { name: 'Feature', exact: true, pressed: false }).click();
    await comment.getByRole('button', { name: 'Feature', exact: true, pressed: true }).waitFor();
    await comment.getByText('Featured', { exact: true }).waitFor();

    // The reader's page: the mark on the comment and the list above the discussion, without a reload.
    const featured = readerPage.getByRole('region', { name: 'Featured by the moderators' });
    await featured.getByText('A comment worth reading first.').waitFor();
    await readerPage
      .getByRole('article', { name: 'Comment by Fiona Featured' })
      .getByText('Featured', { exact: true })
      .waitFor();
    assert.equal(
      await readerPage
        .getByRole('article', { name: 'Comment by Fiona Featured' })
        .getByRole('button', { name: 'Feature' })
        .count(),
      0,
      'readers have no Feature button',
    );
    await readerPage.screenshot({ path: '/tmp/i-featured-desktop.png' });
    const stored = await t.http.get(`/api/comments/${posted.body.id}`).expect(200);
    assert.equal(stored.body.comment.featured, true);

    // Taken off: the list goes from the reader's page.
    await comment.getByRole('button', { name: 'Feature', exact: true, pressed: true }).click();
    await comment.getByRole('button', { name: 'Feature', exact: true, pressed: false }).waitFor();
    await featured.waitFor({ state: 'detached' });
    await context.close();
    await reader.close();
  });
  it('bans someone by username, with a reason and an end, from the bans section', async () => {
    const target = await newUser(t, uniqueName('named'), { displayName: 'Nora Named' });
    const { context, page } = await newReader(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await openSignedIn(page, moderator, `${t.baseUrl}/moderation`);
    const section = page.locator('#bans');
    await section.getByText('Ban someone by username').click();
    await section.getByLabel('Username').fill('nobody-has-this-name');
    await section.getByRole('button', { name: 'Find' }).click();
    await section.getByText('No one has the username “nobody-has-this-name”.').waitFor();

    await section.getByLabel('Username').fill(`@${target.username}`);
    await section.getByRole('button', { name: 'Find' }).click();
    const form = section.getByRole('form', { name: 'Ban Nora Named' });
    await form.getByLabel('Reason for the ban').fill('Named in a complaint');
    await form.getByLabel('Until (date and time)').fill('2099-06-01T12:30');
    await page.locator('#bans').screenshot({ path: '/tmp/i-ban-by-name-phone.png' });
    await form.getByRole('button', { name: 'Ban Nora Named' }).click();
    await section
      .getByRole('status')
      .getByText(/^Nora Named is banned until .*2099/)
      .waitFor();
    const item = section
      .getByRole('list', { name: 'Banned users' })
      .getByRole('listitem')
      .filter({ hasText: 'Nora Named' });
    await item.getByText('Named in a complaint').waitFor();

    const bans = await t.http.get('/api/moderation/bans?limit=100').set(as(moderator)).expect(200);
    const ban = (bans.body.items as { user: { id: string }; until: string | null; reason: string }[]).find(
      (b) => b.user.id === target.id,
    );
    assert.equal(ban?.reason, 'Named in a complaint');
    assert.match(ban?.until ?? '', /^2099-06-01T/);
    await t.http.delete(`/api/moderation/users/${target.id}/ban`).set(as(moderator)).expect(204);
    await context.close();
  });
  it('tells a writer of premoderation and slow mode before they write, and a refusal says once how long to wait', async () => {
    const ruled = await new Fixtures(t.app).newArticle();
    await t.http
      .patch(`/api/articles/${ruled.slug}/settings`)
      .set(as(moderator))
      .send({ premoderation: true, slowModeSeconds: 120 })
      .expect(200);
    const writer = await newUser(t, uniqueName('ruled'), { displayName: 'Rula Writer' });
    const { context, page } = await newReader(browser);
    await openSignedIn(page, writer, `${t.baseUrl}/articles/${ruled.slug}`);
    const box = page.getByLabel('Your comment on the essay');
    await box.waitFor();
    const rules = page.locator('form.reply-box').first().locator('.writing-rules');
    assert.match(await rules.innerText(), /A moderator reviews every comment here before others see it\./);
    assert.match(await rules.innerText(), /Slow mode: one comment every 2 minutes here\./);
    assert.match((await box.getAttribute('aria-describedby')) ?? '', /-rules/, 'the field is described by the rules');

    await box.fill('A first comment, held for review.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByText('awaiting moderation').first().waitFor();
    await box.fill('A second one, too soon.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const refusal = page.locator('form.reply-box').first().getByRole('alert');
    await refusal.getByText(/^Slow mode: one comment every 120 s here; wait \d+ s\.$/).waitFor();
    assert.doesNotMatch(await refusal.innerText(), /Try again/, 'the wait is said once');
    assert.equal(await box.inputValue(), 'A second one, too soon.', 'the refused text stays');
    await page.screenshot({ path: '/tmp/i-writing-rules-desktop.png' });

    // Moderators are exempt from both, and are told of neither.
    await context.clearCookies();
    await openSignedIn(page, moderator, `${t.baseUrl}/articles/${ruled.slug}`);
    await page.getByLabel('Your comment on the essay').waitFor();
    assert.equal(await page.locator('.writing-rules').count(), 0);
    await context.close();
  });
});
