import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName, withRole } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  commentArticle,
  openBrowser,
  newReader,
  signedInReaderAt,
  type TestBrowser,
} from './browser.js';

describe('the edit history of a held comment', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let moderator: Account;
  let writer: Account;
  let article: ArticleFixture;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    const admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    writer = await newUser(t, uniqueName('writer'), { displayName: 'Wendy Writer' });
    article = await new Fixtures(t.app).newArticle();
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set('Authorization', bearer(moderator.token))
      .send({ premoderation: true })
      .expect(200);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows moderators every version in the queue, and readers none of the held ones', async () => {
    const as = { Authorization: bearer(writer.token) };
    const held = (
      await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set(as)
        .send({ body: 'My first, furious draft.' })
        .expect(201)
    ).body as { id: string; status: string };
    assert.equal(held.status, 'pending');
    await t.http.patch(`/api/comments/${held.id}`).set(as).send({ body: 'A calm and polite version.' }).expect(200);

    // The moderator sees the current text in the pending queue and opens the history beside it.
    const mod = await signedInReaderAt(browser, moderator, `${t.baseUrl}/moderation`);
    const card = mod.page
      .getByRole('list', { name: 'Pending comments' })
      .getByRole('article', { name: 'Comment by Wendy Writer' });
    await card.getByText('A calm and polite version.').waitFor();
    await card.getByText('Edit history').click();
    const versions = card.getByRole('list', { name: 'Earlier versions' });
    await versions.getByText('My first, furious draft.').waitFor();
    assert.match(await versions.innerText(), /never shown to readers/);
    const shots = path.join(tmpdir(), 'forum-screenshots');
    mkdirSync(shots, { recursive: true });
    await card.screenshot({ path: path.join(shots, 'moderation-history.png') });
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.waitFor({ state: 'detached' });
    await mod.context.close();

    // An anonymous reader sees the comment marked as edited, and no earlier version behind it.
    const reader = await newReader(browser);
    await reader.page.goto(`${t.baseUrl}/articles/${article.slug}`);
    const comment = commentArticle(reader.page, 'Wendy Writer');
    await comment.getByText('A calm and polite version.').waitFor();
    await comment.getByText('edited', { exact: true }).click();
    await comment.getByText('No earlier version to show.').waitFor();
    assert.doesNotMatch(await comment.innerText(), /furious/);
    await reader.context.close();
  });

  it('offers no edit, delete or report in a locked thread', async () => {
    const locked = await new Fixtures(t.app).newArticle();
    const mine = (
      await t.http
        .post(`/api/articles/${locked.slug}/comments`)
        .set('Authorization', bearer(writer.token))
        .send({ body: 'Written before the lock.' })
        .expect(201)
    ).body as { id: string };
    const other = await newUser(t, uniqueName('other'), { displayName: 'Otto Other' });
    await t.http
      .post(`/api/articles/${locked.slug}/comments`)
      .set('Authorization', bearer(other.token))
      .send({ body: 'Someone else, before the lock.' })
      .expect(201);
    await t.http
      .patch(`/api/articles/${locked.slug}/settings`)
      .set('Authorization', bearer(moderator.token))
      .send({ locked: true })
      .expect(200);
    // The locked thread loaded already signed in: the header and the thread render from the same session.
    const { context, page } = await signedInReaderAt(browser, writer, `${t.baseUrl}/articles/${locked.slug}`);
    await page.getByText('This discussion is locked').waitFor();
    const own = commentArticle(page, 'Wendy Writer');
    await own.getByText('Written before the lock.').waitFor();
    await commentArticle(page, 'Otto Other').getByText('Someone else, before the lock.').waitFor();
    assert.equal(await own.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await own.getByRole('button', { name: 'Delete' }).count(), 0);
    assert.equal(await commentArticle(page, 'Otto Other').getByRole('button', { name: 'Report' }).count(), 0);
    await context.close();
    // The server refuses them as well.
    assert.equal(
      (await t.http.delete(`/api/comments/${mine.id}`).set('Authorization', bearer(writer.token))).status,
      403,
    );
  });
});
