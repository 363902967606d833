import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type INestApplication } from '@nestjs/common';
import supertest from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { assertErrorBody } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { rawGet, varyOf } from '../helpers/raw-get.js';
import { newTestDatabase, startTestApp, type TestApp } from '../helpers/test-app.js';

describe('serving the web client beside the API', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });

  after(() => t.close());

  it('answers each of the client’s pages with index.html, revalidated every time', async () => {
    // The essay and comment pages answer 404 for what names nothing (test/browser/page-heads.e2e.ts): these exist.
    const fixtures = new Fixtures(t.app);
    const article = await fixtures.newArticle();
    const comment = await fixtures.newComment({ article });
    const pages = [
      '/',
      `/articles/${article.slug}`,
      '/articles/bolshevism-vs-stalinism/edit',
      '/articles/bolshevism-vs-stalinism/revisions/2',
      `/comments/${comment.id}`,
      '/moderation',
      '/notifications',
      '/account',
    ];
    // The mailed links land on pages of the client too, with their token in the query.
    pages.push('/verify-email?token=abcdefghijklmnopqrstuvwxyz', '/reset-password?token=abcdefghijklmnopqrstuvwxyz');
    for (const page of pages) {
      const res = await t.http.get(page).expect(200);
      assert.match(res.headers['content-type'], /^text\/html/, page);
      assert.equal(res.headers['cache-control'], 'no-cache', page);
      assert.match(res.headers['content-security-policy'], /script-src 'self'/, page);
      assert.match(res.text, /<div id="app">/, page);
    }
  });

  it('serves the hashed assets with a year-long cache', async () => {
    const html = (await t.http.get('/').expect(200)).text;
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    assert.ok(script && style, html);
    const js = await t.http.get(script).expect(200);
    assert.match(js.headers['content-type'], /javascript/);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    await t.http
      .get(style)
      .expect(200)
      .expect('content-type', /text\/css/);
    await t.http.get('/assets/missing-0000.js').expect(404);
    await t.http.get('/assets/..%2Fpackage.json').expect(404);
  });

  it('sends scripts and style sheets in the precompressed coding the browser takes, and as they are to others', async () => {
    const html = (await t.http.get('/').expect(200)).text;
    const assets = [/src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1], /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1]];
    for (const asset of assets) {
      assert.ok(asset, html);
      const plain = await rawGet(t.baseUrl, asset);
      assert.equal(plain.headers['content-encoding'], undefined, asset);
      assert.ok(varyOf(plain).includes('accept-encoding'), asset);
      for (const [accept, coding] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
      ] as const) {
        const coded = await rawGet(t.baseUrl, asset, { 'Accept-Encoding': accept });
        assert.equal(coded.headers['content-encoding'], coding, `${asset} ${accept}`);
        assert.equal(coded.headers['content-type'], plain.headers['content-type'], `${asset} ${accept}`);
        assert.equal(coded.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.ok(varyOf(coded).includes('accept-encoding'));
        assert.equal(Number(coded.headers['content-length']), coded.wire.length);
        assert.ok(coded.wire.length < plain.wire.length / 2, `${asset} ${accept}: ${coded.wire.length} bytes`);
        assert.equal(coded.text, plain.text, `${asset} ${accept}`);
      }
    }
    // The copies are no assets of their own, and a missing asset is missing in every coding.
    assert.equal((await rawGet(t.baseUrl, `${assets[0]}.br`)).status, 404);
    assert.equal((await rawGet(t.baseUrl, '/assets/missing-0000.js', { 'Accept-Encoding': 'br' })).status, 404);
  });

  it('never shadows the API or Socket.IO', async () => {
    assertErrorBody(await t.http.get('/api/no-such-thing'), 404);
    assertErrorBody(await t.http.get('/api/articles/no-such-essay'), 404);
    await t.http.get('/api/articles').expect(200).expect('content-type', /json/);
    const polling = await t.http.get('/socket.io/?EIO=4&transport=polling').expect(200);
    assert.match(polling.text, /^0\{"sid"/);
    // Anything else is not a page of the client.
    assert.equal((await t.http.get('/no-such-page')).status, 404);
    assert.equal((await t.http.get('/articles/a/b')).status, 404);
    assert.equal((await t.http.get('/articles/a/revisions/0')).status, 404);
    assert.equal((await t.http.get('/articles/a/revisions/x')).status, 404);
    assert.equal((await t.http.post('/').send({})).status, 404);
  });
});

describe('an app whose web client is not built', () => {
  let app: INestApplication;
  let drop: () => Promise<void> = () => Promise.resolve();
  let emptyDir: string;

  before(async () => {
    const database = await newTestDatabase();
    drop = () => database.drop();
    emptyDir = await mkdtemp(path.join(tmpdir(), 'no-client-'));
    app = await createApp(loadConfig({ LOG_LEVEL: 'error', SEED_ON_START: 'false' }), database.url, {
      webClientDir: emptyDir,
    });
    await app.listen(0, '127.0.0.1');
  });

  after(async () => {
    await app.close();
    await drop();
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('still starts: the pages answer a plain 503, the API works', async () => {
    const http = supertest(app.getHttpServer());
    const page = await http.get('/articles/anything').expect(503);
    assert.match(page.headers['content-type'], /^text\/plain/);
    assert.match(page.text, /not built/);
    await http.get('/api/articles').expect(200);
    assert.equal((await http.get('/assets/index-abc.js')).status, 404);
  });
});
