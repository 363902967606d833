import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('errors and the API surface', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ seed: true });
  });

  after(() => t.close());

  function assertErrorBody(body: Record<string, unknown>, status: number): void {
    assert.equal(body.statusCode, status);
    assert.equal(typeof body.error, 'string');
    assert.ok(typeof body.message === 'string' || Array.isArray(body.message));
    assert.ok(!JSON.stringify(body).match(/at \w+ \(|node_modules|SELECT |QueryFailedError/), 'no stack trace or SQL');
  }

  it('answers malformed JSON with 400 and the error body', async () => {
    const res = await t.http
      .post('/api/articles/bolshevism-vs-stalinism/comments')
      .set('Content-Type', 'application/json')
      .send('{"body": "unterminated');
    assert.equal(res.status, 400);
    assertErrorBody(res.body, 400);
    assert.equal(res.body.error, 'malformed_json');
  });

  it('answers an oversized body with 413 and the error body', async () => {
    const res = await t.http
      .post('/api/articles/bolshevism-vs-stalinism/comments')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ body: 'x'.repeat(200_000) }));
    assert.equal(res.status, 413);
    assertErrorBody(res.body, 413);
  });

  it('answers unknown routes and ids with 404 and the error body', async () => {
    for (const path of [
      '/api/nothing-here',
      '/api/comments/abc',
      '/api/comments/0',
      '/api/comments/99999999999999999999',
      '/api/comments/424242',
    ]) {
      const res = await t.http.get(path);
      assert.equal(res.status, 404, path);
      assertErrorBody(res.body, 404);
    }
  });

  it('sends no version banner, and the usual security headers', async () => {
    const res = await t.http.get('/api/articles');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(res.headers['strict-transport-security'] ?? '', /max-age=\d+/);
    assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
  });

  it('serves its OpenAPI document, describing the contract’s read paths', async () => {
    const res = await t.http.get('/api/openapi.json').expect(200);
    for (const path of [
      '/api/articles',
      '/api/articles/{slug}',
      '/api/articles/{slug}/comments',
      '/api/comments/{id}',
      '/api/comments/{id}/replies',
    ]) {
      assert.ok(res.body.paths[path]?.get, `${path} is not documented`);
    }
    const thread = res.body.paths['/api/articles/{slug}/comments'].get;
    const params = thread.parameters.map((p: { name: string }) => p.name).sort();
    for (const name of ['blockId', 'cursor', 'depth', 'limit', 'sort']) assert.ok(params.includes(name), name);
    const comment = res.body.components.schemas.CommentDto.properties;
    for (const field of [
      'id',
      'articleId',
      'parentId',
      'depth',
      'author',
      'body',
      'html',
      'createdAt',
      'editedAt',
      'status',
      'stance',
      'quote',
      'score',
      'upvotes',
      'downvotes',
      'myVote',
      'replyCount',
    ]) {
      assert.ok(comment[field], `Comment.${field} is not documented`);
    }
    const docs = await t.http.get('/api/docs');
    assert.ok([200, 301, 302].includes(docs.status));
  });
});
