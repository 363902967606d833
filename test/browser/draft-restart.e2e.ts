import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import supertest from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { bearer, newUser, uniqueName } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, commentArticle, openBrowser, signedInReaderAt, type TestBrowser } from './browser.js';

describe('a reply being written while the server restarts', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let restarted: INestApplication | undefined;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await restarted?.close();
    await t?.close().catch(() => undefined); // its app was closed for the restart; the database still goes
  });

  it('keeps the draft through the outage, refuses to post it meanwhile, and posts it once afterwards', async () => {
    const article = await new Fixtures(t.app).newArticle();
    const other = await newUser(t, uniqueName('other'), { displayName: 'Olga Other' });
    await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(other.token))
      .send({ body: 'Is the second paragraph needed at all?' })
      .expect(201);
    const reader = await newUser(t, uniqueName('writer'), { displayName: 'Wes Writer' });

    const { context, page } = await signedInReaderAt(browser, reader, `${t.baseUrl}/articles/${article.slug}`);
    await page.getByText(/^\d+ following$/).waitFor();
    const olga = commentArticle(page, 'Olga Other');
    await olga.getByRole('button', { name: 'Reply', exact: true }).click();
    const draft = page.getByLabel('Reply to Olga Other');
    await draft.fill('It is: without it the third');
    await olga.getByLabel('Stance').selectOption('disagree');

    // The server goes away: the page says so, the draft stays, and a post attempt fails without losing it.
    const port = Number(new URL(t.baseUrl).port);
    await t.app.close();
    await page.getByText('Reconnecting…').waitFor();
    await draft.pressSequentially(' makes no sense.');
    await olga.getByRole('button', { name: 'Post reply' }).click();
    await olga.getByRole('alert').getByText('The server could not be reached.').waitFor();
    assert.equal(await draft.inputValue(), 'It is: without it the third makes no sense.');

    // The same server comes back on the same port and database; the page reconnects by itself, still signed in.
    restarted = await createApp(testConfig(), t.databaseUrl);
    await restarted.listen(port, '127.0.0.1');
    await page.getByText(/^\d+ following$/).waitFor();
    assert.equal(await draft.inputValue(), 'It is: without it the third makes no sense.');
    assert.equal(await olga.getByLabel('Stance').inputValue(), 'disagree');
    await olga.getByRole('button', { name: 'Post reply' }).click();

    const posted = commentArticle(page.locator('ol.replies'), 'Wes Writer');
    await posted.getByText('It is: without it the third makes no sense.').waitFor();
    assert.equal(await posted.getByText('Disagrees').count(), 1);
    assert.equal(await page.getByLabel('Reply to Olga Other').count(), 0, 'the reply box closes once posted');
    const thread = (
      await supertest(restarted.getHttpServer()).get(`/api/articles/${article.slug}/comments`).expect(200)
    ).body;
    assert.equal(thread.total, 2, 'the reply is stored once');
    assert.equal(thread.items[0].replies[0].body, 'It is: without it the third makes no sense.');

    // Posted means forgotten: a reload opens no box with the old text.
    await page.reload();
    await posted.waitFor();
    assert.equal(await page.getByLabel('Reply to Olga Other').count(), 0);
    await context.close();
  });
});
