import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import { type Account, assertClientError, assertErrorBody, bearer, newUser, uniqueName } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { assertSafeHtml, CORPUS, XSS } from './helpers/hostile-strings.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/** Posting hostile input never answers 5xx: a 2xx or a 4xx with the contract's error body. */
function assertNot5xx(res: supertest.Response, label: string): void {
  assert.ok(res.status < 500, `${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  if (res.status >= 400) assertClientError(res, label);
}

describe('hostile input', () => {
  let t: TestApp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let writer: Account;

  before(async () => {
    t = await startTestApp();
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    writer = await newUser(t);
  });

  after(() => t.close());

  function postComment(body: unknown, token = writer.token): supertest.Test {
    return t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(token))
      .send(body as object);
  }

  async function storedHtml(id: string): Promise<string> {
    const rows: { html: string }[] = await t.dataSource.query('SELECT html FROM comments WHERE id = $1', [id]);
    return rows[0].html;
  }

  describe('as a comment body', () => {
    let hostile: ArticleFixture;
    const posted = new Map<string, { label: string; body: string }>();

    before(async () => {
      hostile = await fx.newArticle();
    });

    for (const [label, text] of CORPUS) {
      it(`answers a comment body with ${label}: 201 with the body as sent and safe html, or a 4xx`, async () => {
        const res = await t.http
          .post(`/api/articles/${hostile.slug}/comments`)
          .set('Authorization', bearer(writer.token))
          .send({ body: text });
        assertNot5xx(res, label);
        if (res.status !== 201) return;
        assert.equal(res.body.body, text.trim(), `${label}: the body round-trips as sent (trimmed)`);
        assertSafeHtml(res.body.html, `${label} (answer)`);
        assertSafeHtml(await storedHtml(res.body.id), `${label} (stored)`);
        posted.set(res.body.id, { label, body: text.trim() });
      });
    }

    it('reads the whole hostile thread back with safe html and the bodies as posted', async () => {
      const res = await t.http.get(`/api/articles/${hostile.slug}/comments?sort=new&limit=100`).expect(200);
      assert.ok(posted.size > 0);
      const seen = new Map<string, { body: string; html: string }>(
        res.body.items.map((c: { id: string; body: string; html: string }) => [c.id, c]),
      );
      for (const [id, { label, body }] of posted) {
        const item = seen.get(id);
        assert.ok(item, `${label}: missing from the thread`);
        assert.equal(item.body, body, `${label}: body read back`);
        assertSafeHtml(item.html, `${label} (thread)`);
      }
      for (const item of seen.values()) assertSafeHtml(item.html, 'thread item');
    });

    it('keeps the html safe when a comment is edited to each XSS payload, and in its history', async () => {
      const own = await postComment({ body: 'An innocent start' }).expect(201);
      for (const [label, text] of XSS) {
        const res = await t.http
          .patch(`/api/comments/${own.body.id}`)
          .set('Authorization', bearer(writer.token))
          .send({ body: text });
        assert.equal(res.status, 200, `${label}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.body, text.trim(), label);
        assertSafeHtml(res.body.html, `${label} (edit)`);
      }
      const history = await t.http.get(`/api/comments/${own.body.id}/history`).expect(200);
      assert.equal(history.body.items.length, XSS.length);
      for (const version of history.body.items) assertSafeHtml(version.html, 'history');
    });
  });

  it('answers an edit to a body with a NUL character with 200 or a 4xx, not 500', async () => {
    const own = await postComment({ body: 'A comment to edit' }).expect(201);
    const res = await t.http
      .patch(`/api/comments/${own.body.id}`)
      .set('Authorization', bearer(writer.token))
      .send({ body: 'before \u0000 after' });
    assertNot5xx(res, 'edit with NUL');
    if (res.status === 200) assert.equal(res.body.body, 'before \u0000 after');
  });

  describe('as a display name at register', () => {
    for (const [label, text] of CORPUS) {
      it(`answers a display name with ${label}: 201 with the name as sent, or a 4xx`, async () => {
        const res = await t.http
          .post('/api/auth/register')
          .send({ username: uniqueName('name'), password: 'correct-horse-battery', displayName: text });
        assertNot5xx(res, label);
        if (res.status !== 201) return;
        assert.equal(res.body.user.displayName, text.trim(), `${label}: the name round-trips`);
        const me = await t.http.get('/api/auth/me').set('Authorization', bearer(res.body.token)).expect(200);
        assert.equal(me.body.user.displayName, text.trim(), `${label}: the name reads back`);
      });
    }
  });

  describe('as a username at login', () => {
    for (const [label, text] of CORPUS) {
      it(`answers a login as ${label}: 401 for no such user, or a 4xx`, async () => {
        const res = await t.http.post('/api/auth/login').send({ username: text, password: 'correct-horse-battery' });
        assertNot5xx(res, label);
        assertClientError(res, label);
      });
    }
  });

  describe('as a report note', () => {
    for (const [label, text] of CORPUS) {
      it(`answers a report note with ${label}: 201 with the note as sent, or a 4xx`, async () => {
        const target = await fx.newComment({ article });
        const res = await t.http
          .post(`/api/comments/${target.id}/reports`)
          .set('Authorization', bearer(writer.token))
          .send({ reason: 'other', note: text });
        assertNot5xx(res, label);
        if (res.status !== 201) return;
        assert.equal(res.body.note, text.trim() || null, `${label}: the note round-trips`);
      });
    }
  });

  describe('malformed requests', () => {
    const json = 'application/json';

    async function raw(
      body: string,
      type = json,
      path = `/api/articles/${article.slug}/comments`,
    ): Promise<supertest.Response> {
      return t.http.post(path).set('Authorization', bearer(writer.token)).set('Content-Type', type).send(body);
    }

    it('answers malformed JSON and JSON that is not an object with 400', async () => {
      const bodies = [
        '{"body": "unterminated',
        '{body: "unquoted"}',
        "{'body': 'single'}",
        '{"body": "x",}',
        '',
        '[{"body":"x"}]',
        '"x"',
        '5',
        'null',
        'true',
        '{"body":"x"}{"body":"y"}',
      ];
      for (const body of bodies) assertErrorBody(await raw(body), 400, `body ${JSON.stringify(body)}`);
    });

    it('answers a body sent as another content type with a 4xx, never reading it as JSON', async () => {
      for (const [type, body] of [
        ['text/plain', '{"body":"JSON in text/plain"}'],
        ['application/x-www-form-urlencoded', 'body=form+encoded'],
        [
          'multipart/form-data; boundary=x',
          '--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nmultipart\r\n--x--\r\n',
        ],
        ['application/xml', '<body>xml</body>'],
      ]) {
        const res = await raw(body, type);
        assertClientError(res, type);
      }
      const thread = await t.http.get(`/api/articles/${article.slug}/comments?sort=new&limit=100`).expect(200);
      assert.ok(
        !thread.body.items.some((c: { body: string }) => /text\/plain|form encoded|multipart|xml/.test(c.body)),
      );
    });

    it('answers JSON in a charset other than UTF-8 with a 4xx', async () => {
      for (const charset of ['iso-8859-1', 'windows-1252', 'x-unknown']) {
        assertClientError(await raw('{"body":"x"}', `application/json; charset=${charset}`), charset);
      }
    });

    it('answers bytes that are not UTF-8 with 400, never storing a replacement character', async () => {
      const bad: [string, Buffer][] = [
        ['a lone 0xff', Buffer.from([0xff])],
        ['an overlong slash', Buffer.from([0xc0, 0xaf])],
        ['a lone continuation byte', Buffer.from([0x80])],
        ['a cut-off euro sign', Buffer.from([0xe2, 0x82])],
        ['a UTF-8-encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
        ['a code point above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
      ];
      for (const [label, bytes] of bad) {
        const body = Buffer.concat([Buffer.from('{"body":"bad utf-8: '), bytes, Buffer.from('"}')]);
        // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON).
        const answer = await fetch(`${t.baseUrl}/api/articles/${article.slug}/comments`, {
          method: 'POST',
          headers: { Authorization: bearer(writer.token), 'Content-Type': json },
          body,
        });
        const res = { status: answer.status, body: (await answer.json()) as { error: string } };
        assertErrorBody(res, 400, label);
        assert.equal(res.body.error, 'malformed_json', `${label} ${JSON.stringify(res.body)}`);
      }
      // Well-formed UTF-8 of every length still goes through.
      const good = (await raw('{"body":"bad utf-8: none here: é € 𝄞"}')).body as { body: string };
      assert.equal(good.body, 'bad utf-8: none here: é € 𝄞');
      const thread = await t.http.get(`/api/articles/${article.slug}/comments?sort=new&limit=100`).expect(200);
      assert.ok(!thread.body.items.some((c: { body: string }) => c.body.includes('\uFFFD')));
    });

    it('answers oversized headers and requests the HTTP parser refuses with the contract’s error body', async () => {
      const { port } = new URL(t.baseUrl);
      const cases: [string, string, number, string][] = [
        [
          'a 64 KB header',
          `GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(65_536)}\r\nConnection: close\r\n\r\n`,
          431,
          'headers_too_large',
        ],
        [
          '2,000 small headers',
          `GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: 2_000 }, (_, i) => `X-H${i}: ${'v'.repeat(10)}`).join('\r\n')}\r\nConnection: close\r\n\r\n`,
          431,
          'headers_too_large',
        ],
        ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'malformed_request'],
        [
          'a bad Content-Length',
          'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\nConnection: close\r\n\r\n',
          400,
          'malformed_request',
        ],
        [
          'two Content-Lengths',
          'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}',
          400,
          'malformed_request',
        ],
      ];
      for (const [label, request, status, code] of cases) {
        const answer = await rawHttp(Number(port), request);
        const [head, body] = answer.split('\r\n\r\n');
        assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), `${label}: ${head.slice(0, 80)}`);
        assert.match(head, /content-type: application\/json/i, label);
        assert.deepEqual(
          JSON.parse(body),
          { statusCode: status, error: code, message: (JSON.parse(body) as { message: string }).message },
          label,
        );
      }
      await t.http.get('/api/articles').expect(200);
    });

    it('answers a cursor it did not issue with 400 on every paged list', async () => {
      const reader = await newUser(t, uniqueName('cursors'));
      const parent = (await raw('{"body":"a parent for the replies list"}')).body as { id: string };
      const paths = [
        '/api/articles',
        `/api/comments/${parent.id}/replies`,
        `/api/articles/${article.slug}/comments`,
        `/api/articles/${article.slug}/comments?sort=new`,
      ];
      const forged = ['x', 'not-base64!', 'eyJ4IjoxfQ', 'A'.repeat(2_000), '%00', '..%2f..%2f', '%ff%fe'];
      for (const path of paths) {
        for (const cursor of forged) {
          const res = await t.http
            .get(`${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}`)
            .set('Authorization', bearer(reader.token));
          assertErrorBody(res, 400, `${path} cursor ${cursor.slice(0, 20)}`);
        }
      }
    });

    it('answers unknown and wrongly typed fields with 400', async () => {
      const bodies: unknown[] = [
        { body: 'x', admin: true },
        { body: 'x', authorId: '1' },
        { body: 'x', status: 'visible', score: 1000 },
        { body: 5 },
        { body: ['x'] },
        { body: { text: 'x' } },
        { body: null },
        { body: true },
        { body: 'x', parentId: 12 },
        { body: 'x', parentId: 'abc' },
        { body: 'x', parentId: '-1' },
        { body: 'x', stance: 'maybe' },
        { body: 'x', stance: 1 },
        { body: 'x', quote: 'text' },
        { body: 'x', quote: 5 },
        { body: 'x', quote: [] },
        { body: 'x', quote: { source: 'article' } },
        { body: 'x', quote: { source: 'article', text: 'y' } },
        { body: 'x', quote: { source: 'article', blockId: 'x', commentId: '1', text: 'y' } },
        { body: 'x', quote: { source: 'comment', commentId: '1', blockId: 'x', text: 'y' } },
        { body: 'x', quote: { source: 'elsewhere', blockId: 'x', text: 'y' } },
        { body: 'x', quote: { source: 'article', blockId: 'x', text: '' } },
        { body: 'x', quote: { source: 'article', blockId: '../../x', text: 'y' } },
        { body: 'x', quote: { source: 'article', blockId: 'x', text: 'y', extra: 1 } },
      ];
      for (const body of bodies) assertErrorBody(await postComment(body), 400, JSON.stringify(body));
    });

    it('refuses the prototype keys __proto__ and constructor as unknown fields, with 400', async () => {
      for (const body of [
        '{"body":"x","__proto__":{"admin":true}}',
        '{"body":"x","constructor":{"prototype":{"admin":true}}}',
      ]) {
        assertErrorBody(await raw(body), 400, body);
      }
    });

    it('answers wrongly typed votes, reports, edits, registrations and role changes with 400', async () => {
      const target = (await postComment({ body: 'A target for wrong types' }).expect(201)).body.id as string;
      const other = await newUser(t);
      const cases: [string, () => supertest.Test, unknown[]][] = [
        [
          'vote',
          () => t.http.put(`/api/comments/${target}/vote`).set('Authorization', bearer(other.token)),
          [
            {},
            { value: 2 },
            { value: '1' },
            { value: true },
            { value: 0.5 },
            { value: null },
            { value: 1, extra: 1 },
            { value: [1] },
          ],
        ],
        [
          'report',
          () => t.http.post(`/api/comments/${target}/reports`).set('Authorization', bearer(other.token)),
          [
            {},
            { reason: 'boring' },
            { reason: 'SPAM' },
            { reason: 'spam', note: 5 },
            { reason: 'spam', note: 'x'.repeat(1_001) },
            { reason: ['spam'] },
            { reason: 'spam', extra: 1 },
          ],
        ],
        [
          'edit',
          () => t.http.patch(`/api/comments/${target}`).set('Authorization', bearer(writer.token)),
          [
            {},
            { body: '' },
            { body: '  \n ' },
            { body: 5 },
            { body: 'x', parentId: '1' },
            { body: 'x'.repeat(10_001) },
          ],
        ],
        [
          'register',
          () => t.http.post('/api/auth/register'),
          [
            {},
            { username: 'ab', password: 'long-enough' },
            { username: 'a b c', password: 'long-enough' },
            { username: 'ok-name', password: 'short' },
            { username: 5, password: 'long-enough' },
            { username: 'ok-name', password: 'long-enough', role: 'admin' },
            { username: 'ok-name', password: 'long-enough', displayName: '' },
            { username: 'ok-name', password: 'long-enough', displayName: ' \t ' },
            { username: 'ok-name', password: 'x'.repeat(257) },
          ],
        ],
        [
          'login',
          () => t.http.post('/api/auth/login'),
          [
            {},
            { username: 5, password: 'x' },
            { username: 'x', password: ['x'] },
            { username: 'x'.repeat(65), password: 'long-enough' },
          ],
        ],
      ];
      for (const [what, request, bodies] of cases) {
        for (const body of bodies)
          assertErrorBody(await request().send(body as object), 400, `${what} ${JSON.stringify(body).slice(0, 80)}`);
      }
    });

    it('answers an empty or white-space body with 400', async () => {
      for (const body of ['', ' ', '\n\t \r\n', '\u00a0\u2003\ufeff'])
        assertErrorBody(await postComment({ body }), 400, JSON.stringify(body));
    });

    it('takes a body of exactly 10,000 characters after trimming and refuses 10,001', async () => {
      const exact = await postComment({ body: 'y'.repeat(10_000) });
      assert.equal(exact.status, 201, JSON.stringify(exact.body).slice(0, 200));
      assert.equal(exact.body.body.length, 10_000);
      const padded = await postComment({ body: `  \n${'p'.repeat(10_000)}\n  ` });
      assert.equal(padded.status, 201, 'white space around does not count');
      assert.equal(padded.body.body, 'p'.repeat(10_000));
      assertErrorBody(await postComment({ body: 'z'.repeat(10_001) }), 400, '10,001 characters');
      assertErrorBody(
        await postComment({ body: `${'z'.repeat(10_000)} z` }),
        400,
        '10,002 characters with a space inside',
      );
    });

    it('answers a JSON body over the size limit with 413', async () => {
      assertErrorBody(await postComment({ body: 'x'.repeat(70_000) }), 413, '70,000 characters');
      assertErrorBody(await postComment({ body: 'x', padding: 'y'.repeat(200_000) }), 413, 'padding');
      assertErrorBody(await raw(`{"body":"${'x'.repeat(1_000_000)}"}`), 413, 'a megabyte');
    });

    it('answers JSON nested 10,000 levels deep as the whole body with a 4xx, not 500', async () => {
      assertClientError(await raw(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), 'nested arrays as the body');
    });

    it('answers JSON nested 10,000 levels deep inside a field with a 4xx, not 500', async () => {
      assertClientError(await raw(`{"body":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), 'nested arrays in body');
      assertClientError(
        await raw(`{"body":"x","quote":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`),
        'nested objects in quote',
      );
    });

    it('answers an Idempotency-Key of 129 characters, or with a space, tab or non-ASCII character, with 400', async () => {
      for (const key of ['k'.repeat(129), 'with space', 'with\ttab', 'clé', '']) {
        const res = await t.http
          .post(`/api/articles/${article.slug}/comments`)
          .set('Authorization', bearer(writer.token))
          .set('Idempotency-Key', key)
          .send({ body: 'With a bad idempotency key' });
        assertErrorBody(res, 400, `key ${JSON.stringify(key.slice(0, 20))}`);
      }
    });

    it('takes an Idempotency-Key of exactly 128 characters', async () => {
      const send = () =>
        t.http
          .post(`/api/articles/${article.slug}/comments`)
          .set('Authorization', bearer(writer.token))
          .set('Idempotency-Key', 'K'.repeat(128))
          .send({ body: 'With the longest idempotency key' });
      const first = await send();
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const again = await send();
      assert.equal(again.status, 201);
      assert.equal(again.body.id, first.body.id, 'the retry returns the first answer');
    });

    it('never lets an Idempotency-Key with a line break through to the app (the HTTP parser answers 400)', async () => {
      const { port } = new URL(t.baseUrl);
      const body = '{"body":"smuggled"}';
      for (const key of ['abc\ndef', 'abc\r\n def', 'abc\rdef']) {
        const request = [
          `POST /api/articles/${article.slug}/comments HTTP/1.1`,
          'Host: 127.0.0.1',
          `Authorization: Bearer ${writer.token}`,
          'Content-Type: application/json',
          `Idempotency-Key: ${key}`,
          `Content-Length: ${body.length}`,
          'Connection: close',
          '',
          body,
        ].join('\r\n');
        const answer = await rawHttp(Number(port), request);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
        assert.ok(status >= 400 && status < 500, `key ${JSON.stringify(key)}: ${answer.slice(0, 200)}`);
      }
      const thread = await t.http.get(`/api/articles/${article.slug}/comments?sort=new&limit=100`).expect(200);
      assert.ok(!thread.body.items.some((c: { body: string }) => c.body === 'smuggled'));
    });
  });

  describe('path tricks', () => {
    const badIds = [
      'abc',
      '-1',
      '0',
      '1e3',
      '1.0',
      '0x10',
      '01',
      '+1',
      '%201',
      '1%00',
      '99999999999999999999',
      '9223372036854775808',
      '%2e%2e',
      '..',
      '%2e%2e%2fadmin',
      "1'%20OR%20'1'='1",
    ];

    it('answers bad comment ids with 404 on every comment path, read and write', async () => {
      const reader = await newUser(t);
      for (const id of badIds) {
        const requests: [string, supertest.Test][] = [
          ['permalink', t.http.get(`/api/comments/${id}`)],
          ['replies', t.http.get(`/api/comments/${id}/replies`)],
          ['history', t.http.get(`/api/comments/${id}/history`)],
          ['edit', t.http.patch(`/api/comments/${id}`).set('Authorization', bearer(reader.token)).send({ body: 'x' })],
          ['delete', t.http.delete(`/api/comments/${id}`).set('Authorization', bearer(reader.token))],
          [
            'vote',
            t.http.put(`/api/comments/${id}/vote`).set('Authorization', bearer(reader.token)).send({ value: 1 }),
          ],
          [
            'report',
            t.http
              .post(`/api/comments/${id}/reports`)
              .set('Authorization', bearer(reader.token))
              .send({ reason: 'spam' }),
          ],
          [
            'reply',
            t.http
              .post(`/api/articles/${article.slug}/comments`)
              .set('Authorization', bearer(reader.token))
              .send({ body: 'x', parentId: decodeURIComponent(id) }),
          ],
        ];
        for (const [what, request] of requests) {
          const res = await request;
          // A parentId that is not an id at all is a 400 (wrongly typed field); one that names nothing is a 404.
          if (what === 'reply' && res.status === 400) assertErrorBody(res, 400, `${what} ${id}`);
          else assertErrorBody(res, 404, `${what} ${id}`);
        }
      }
    });

    it('answers a comment id that is not valid percent-encoding with a 4xx', async () => {
      for (const path of ['/api/comments/%ff', '/api/comments/%', '/api/comments/%zz/history'])
        assertClientError(await t.http.get(path), path);
    });

    it('answers article slugs with traversal and other tricks with 404', async () => {
      const slugs = [
        '..%2f..%2fetc%2fpasswd',
        '%2e%2e',
        '%2e%2e%2f%2e%2e%2fapi',
        '..%5c..%5cwindows',
        'a%00b',
        '%00',
        'UPPER-CASE',
        'with%20space',
        `${article.slug}%0a`,
        `${article.slug}%00`,
        'x'.repeat(400),
        "'%20OR%201=1--",
      ];
      for (const slug of slugs) {
        assertErrorBody(await t.http.get(`/api/articles/${slug}`), 404, `article ${slug.slice(0, 40)}`);
        assertErrorBody(await t.http.get(`/api/articles/${slug}/comments`), 404, `thread ${slug.slice(0, 40)}`);
        const write = await t.http
          .post(`/api/articles/${slug}/comments`)
          .set('Authorization', bearer(writer.token))
          .send({ body: 'x' });
        assertErrorBody(write, 404, `post ${slug.slice(0, 40)}`);
      }
    });

    it('answers raw dot segments with 404, never a file', async () => {
      for (const path of [
        '/api/articles/../../etc/passwd',
        '/api/../../../etc/passwd',
        '/api/comments/../../package.json',
        '/api/articles/%2e%2e/%2e%2e/package.json',
      ]) {
        const res = await t.http.get(path);
        assertErrorBody(res, 404, path);
        assert.doesNotMatch(res.text, /root:|"dependencies"/);
      }
    });
  });

  it('still answers GET /api/articles with 200 after the whole corpus', async () => {
    const res = await t.http.get('/api/articles').expect(200);
    assert.ok(Array.isArray(res.body.items));
  });
});

/** Sends bytes as they are (Node's client refuses line breaks in header values) and returns the whole answer. */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}
