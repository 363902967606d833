import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import supertest from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { bearer, newUser, uniqueName } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, type TestBrowser } from './browser.js';

describe('the web client catching up after its server restarts', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  const others: INestApplication[] = [];

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    for (const app of others) await app.close();
    await t?.close().catch(() => undefined); // its app was closed for the restart; the database still goes
  });

  /** A new essay with one comment by a new author; the comment's id and a way to post more as that author. */
  async function essayWithComment(displayName: string, body: string) {
    const article = await new Fixtures(t.app).newArticle();
    const author = await newUser(t, uniqueName('author'), { displayName });
    const post = (fields: object) =>
      t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(author.token))
        .send(fields)
        .expect(201);
    const top = (await post({ body })).body as { id: string };
    return { article, author, top, post };
  }

  it('misses nothing written between loading the page and the live connection opening', async () => {
    const { article, top, post } = await essayWithComment('Early Voice', 'Loaded with the page.');

    const context = await browser.newContext();
    // The live connection is held back until the reply below has been written.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    await context.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await gate;
      ws.connectToServer();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    await page.locator('li.comment').filter({ hasText: 'Loaded with the page.' }).waitFor();
    await post({ body: 'Written before the connection opened.', parentId: top.id });
    open();
    await page.getByText('1 following').waitFor();
    const reply = page
      .locator('li.comment ol.replies li.comment')
      .filter({ hasText: 'Written before the connection opened.' });
    await reply.waitFor();
    assert.equal(await reply.count(), 1);
    await context.close();
  });

  it('counts a reply to a comment still waiting behind "Show new comments", and loads it once shown', async () => {
    const article = await new Fixtures(t.app).newArticle();
    const author = await newUser(t, uniqueName('author'), { displayName: 'Waiting Voice' });
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    await page.getByText('1 following').waitFor();
    const post = (body: object) =>
      t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(author.token))
        .send(body)
        .expect(201);
    const top = await post({ body: 'A new comment that waits.' });
    const show = page.getByRole('button', { name: 'Show 1 new comment' });
    await show.waitFor();
    await post({ body: 'A reply to the waiting comment.', parentId: top.body.id });
    await page.getByRole('heading', { name: /Discussion \(2\)/ }).waitFor();
    await show.click();
    await page.getByRole('button', { name: 'Load 1 more reply' }).click();
    const reply = page
      .locator('li.comment ol.replies li.comment')
      .filter({ hasText: 'A reply to the waiting comment.' });
    await reply.waitFor();
    assert.equal(await reply.count(), 1);
    await context.close();
  });

  it('shows a reply posted while it was disconnected, once, after reconnecting', async () => {
    const { article, author, top } = await essayWithComment('First Voice', 'A comment to answer.');

    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    await page.getByText('1 following').waitFor();
    const port = new URL(t.baseUrl).port;

    // A second process on the same database stays up while the reader's server goes down.
    const other = await createApp(testConfig(), t.databaseUrl);
    others.push(other);
    await other.listen(0, '127.0.0.1');
    // The server says it is closing before the connection drops: the page shows it while the close goes on.
    const closed = t.app.close();
    await page.getByText('The server is restarting: reconnecting…').waitFor();
    await closed;
    await supertest(other.getHttpServer())
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(author.token))
      .send({ body: 'Written while you were away.', parentId: top.id })
      .expect(201);

    // The reader's server comes back on its port; the client re-joins with `since` and applies what it missed.
    const restarted = await createApp(testConfig(), t.databaseUrl);
    others.push(restarted);
    await restarted.listen(Number(port), '127.0.0.1');
    const reply = page.locator('li.comment ol.replies li.comment').filter({ hasText: 'Written while you were away.' });
    await reply.waitFor();
    await page.getByText('1 following').waitFor();
    assert.equal(await reply.count(), 1);
    assert.equal(await page.locator('li.comment').count(), 2);
    await context.close();
  });
});
