import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnswerCache } from './answer-cache.js';
import { preferredCoding } from './content-coding.js';

describe('preferredCoding', () => {
  it('prefers Brotli, then gzip, and answers as it is when neither is taken', () => {
    assert.equal(preferredCoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(preferredCoding('gzip, deflate'), 'gzip');
    assert.equal(preferredCoding('x-gzip'), 'gzip');
    assert.equal(preferredCoding('deflate'), null);
    assert.equal(preferredCoding('identity'), null);
    assert.equal(preferredCoding(''), null);
    assert.equal(preferredCoding(undefined), null);
  });

  it('follows q-values: a refused coding is never chosen, a preferred one wins', () => {
    assert.equal(preferredCoding('br;q=0, gzip'), 'gzip');
    assert.equal(preferredCoding('br;q=0.2, gzip;q=0.8'), 'gzip');
    assert.equal(preferredCoding('br;q=0, gzip;q=0'), null);
    assert.equal(preferredCoding('*'), 'br');
    assert.equal(preferredCoding('*;q=0, gzip'), 'gzip');
    assert.equal(preferredCoding('BR ; Q=1'), 'br');
  });
});

describe('AnswerCache', () => {
  it('makes an answer once however many miss together, and keeps it', async () => {
    const sut = new AnswerCache(1024 * 1024);
    let made = 0;
    const make = () => Promise.resolve({ made: ++made });
    const answers = await Promise.all([sut.answer('k', make), sut.answer('k', make), sut.answer('k', make)]);
    assert.equal(made, 1);
    assert.ok(answers.every((a) => a === answers[0]));
    assert.equal((await sut.answer('k', make)).json.toString(), '{"made":1}');
  });

  it('keeps nothing a failed make gave, and tries again at the next request', async () => {
    const sut = new AnswerCache(1024 * 1024);
    await assert.rejects(
      sut.answer('k', () => Promise.reject(new Error('no such article'))),
      /no such article/,
    );
    assert.equal((await sut.answer('k', () => Promise.resolve({ ok: true }))).json.toString(), '{"ok":true}');
  });

  it('counts every coding in its bound and lets the least recently used go first', async () => {
    const sut = new AnswerCache(64 * 1024);
    const big = { text: 'x'.repeat(6000) };
    const first = await sut.answer('first', () => Promise.resolve(big));
    const before = sut.bytes;
    await sut.encoded('first', first, 'gzip');
    await new Promise(setImmediate);
    assert.ok(sut.bytes > before, 'the coding is counted');
    for (let i = 0; i < 20; i++) await sut.answer(`other-${i}`, () => Promise.resolve(big));
    assert.ok(sut.bytes <= 64 * 1024);
    let remade = false;
    await sut.answer('first', () => {
      remade = true;
      return Promise.resolve(big);
    });
    assert.ok(remade, 'the oldest answer left first');
  });
});
