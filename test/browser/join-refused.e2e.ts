import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, register, uniqueName } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, type TestBrowser } from './browser.js';

/** The server's refusal of a join over its rate limits (src/realtime/follows.ts). */
const TOO_OFTEN = 'Too many joins: wait a minute before joining again.';

describe('the web client when the server refuses its live join', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('pauses live updates, retries the join with one in flight, then resumes by itself and says so', async () => {
    const article = await new Fixtures(t.app).newArticle();
    const author = await register(t, uniqueName('author'), { displayName: 'Patient Voice' });
    const post = (fields: object) =>
      t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(author.token))
        .send(fields)
        .expect(201);
    const top = (await post({ body: 'A comment to answer.' })).body as { id: string };

    // The page's live connection goes through this relay of Socket.IO frames: it counts the page's joins and the
    // joins in flight, can drop the next comment event (to open a gap in the page's seq), and can answer joins
    // itself with the server's refusal, as the server does when the address is over its join limit.
    const relay = {
      joins: 0,
      inFlight: 0,
      maxInFlight: 0,
      refuse: 0,
      dropNextComment: false,
      refusedAt: [] as number[],
    };
    const context = await browser.newContext();
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        const join = typeof frame === 'string' ? /^42(\d+)\["join",/.exec(frame) : null;
        if (!join) return server.send(frame);
        relay.joins++;
        relay.inFlight++;
        relay.maxInFlight = Math.max(relay.maxInFlight, relay.inFlight);
        if (relay.refuse > 0) {
          relay.refuse--;
          relay.refusedAt.push(Date.now());
          relay.inFlight--;
          return ws.send(`43${join[1]}${JSON.stringify([{ ok: false, error: TOO_OFTEN }])}`);
        }
        server.send(frame);
      });
      server.onMessage((frame) => {
        if (typeof frame === 'string' && frame.startsWith('43')) relay.inFlight = Math.max(0, relay.inFlight - 1);
        if (typeof frame === 'string' && relay.dropNextComment && frame.startsWith('42["comment.created"')) {
          relay.dropNextComment = false;
          return;
        }
        ws.send(frame);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${t.baseUrl}/articles/${article.slug}`);
    await page.getByText('1 following').waitFor();
    assert.equal(relay.joins, 1);
    const reply = (body: string) => page.locator('li.comment ol.replies li.comment').filter({ hasText: body });

    // A lost event, then the next one: the page sees the gap and joins to catch up; that join and the next are refused.
    relay.dropNextComment = true;
    relay.refuse = 2;
    await post({ body: 'Lost on the way.', parentId: top.id });
    await post({ body: 'Shows the gap.', parentId: top.id });
    const paused = page.getByText('Live updates paused: retrying in a moment…');
    await paused.waitFor();
    await page.screenshot({ path: '/tmp/f-join-paused.png' });
    // Events arriving while paused are held, and ask for no join of their own.
    await post({ body: 'Arrives while paused.', parentId: top.id });

    // The retries come by themselves; the third join is let through and hands over what was missed.
    for (const body of ['Lost on the way.', 'Shows the gap.', 'Arrives while paused.']) await reply(body).waitFor();
    await page.getByText('1 following').waitFor();
    assert.equal(await paused.count(), 0);
    await page.screenshot({ path: '/tmp/f-join-resumed.png' });
    for (const body of ['Lost on the way.', 'Shows the gap.', 'Arrives while paused.']) {
      assert.equal(await reply(body).count(), 1, body);
    }
    assert.equal(relay.joins, 4, 'the first join, the refused catch-up, one refused retry, the retry let through');
    assert.equal(relay.maxInFlight, 1);
    // Backoff: the first retry waited at least half of its 2 s.
    assert.ok(
      relay.refusedAt[1] - relay.refusedAt[0] >= 1_000,
      `retried after ${relay.refusedAt[1] - relay.refusedAt[0]} ms`,
    );

    // Live again: a new reply arrives without any further join.
    await post({ body: 'Live again.', parentId: top.id });
    await reply('Live again.').waitFor();
    assert.equal(relay.joins, 4);
    await context.close();
  });
});
