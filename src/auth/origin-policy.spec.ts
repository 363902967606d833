import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RequestSource, fromOwnOrigin } from './origin-policy.js';

const sut = fromOwnOrigin;
const PUBLIC = ['https://forum.example'];
/** How HTTP asks (the request's own scheme, its Referer as fallback). */
const http = (source: Omit<RequestSource, 'schemes'>) => sut({ schemes: ['http'], ...source }, PUBLIC);
/** How a Socket.IO handshake asks (either scheme, Sec-Fetch-Site as fallback). */
const handshake = (source: Omit<RequestSource, 'schemes' | 'referer'>) =>
  sut({ schemes: ['http', 'https'], ...source }, PUBLIC);

describe('fromOwnOrigin', () => {
  it('takes an Origin that is the request’s Host under one of the given schemes', () => {
    assert.equal(http({ origin: 'http://localhost:3000', host: 'localhost:3000' }), true);
    assert.equal(
      http({ origin: 'https://localhost:3000', host: 'localhost:3000' }),
      false,
      'HTTP: its own scheme only',
    );
    assert.equal(handshake({ origin: 'https://localhost:3000', host: 'localhost:3000' }), true);
    assert.equal(handshake({ origin: 'http://localhost:3000', host: 'localhost:3000' }), true);
  });

  it('takes an Origin listed in PUBLIC_ORIGINS, whatever the Host', () => {
    assert.equal(http({ origin: 'https://forum.example', host: 'internal:3000' }), true);
    assert.equal(handshake({ origin: 'https://forum.example', host: 'internal:3000' }), true);
  });

  it('refuses another origin, another port of the same host and a look-alike', () => {
    for (const origin of [
      'https://evil.example',
      'http://localhost:3001',
      'http://localhost:3000.evil.example',
      'null',
    ]) {
      assert.equal(http({ origin, host: 'localhost:3000' }), false, origin);
      assert.equal(handshake({ origin, host: 'localhost:3000' }), false, origin);
    }
  });

  it('takes the Referer’s origin when there is no Origin', () => {
    assert.equal(http({ referer: 'http://localhost:3000/articles/one?x=1', host: 'localhost:3000' }), true);
    assert.equal(http({ referer: 'https://forum.example/articles/one', host: 'localhost:3000' }), true);
    assert.equal(http({ referer: 'https://evil.example/page', host: 'localhost:3000' }), false);
    assert.equal(http({ referer: 'not a url', host: 'localhost:3000' }), false);
  });

  it('lets an Origin decide over the Referer', () => {
    assert.equal(
      http({ origin: 'https://evil.example', referer: 'http://localhost:3000/', host: 'localhost:3000' }),
      false,
    );
  });

  it('refuses a request that names no origin, unless the browser says same-origin', () => {
    assert.equal(http({ host: 'localhost:3000' }), false);
    assert.equal(http({ origin: '', host: 'localhost:3000' }), false);
    assert.equal(handshake({ host: 'localhost:3000' }), false);
    assert.equal(handshake({ secFetchSite: 'same-origin', host: 'localhost:3000' }), true);
    assert.equal(handshake({ origin: '', secFetchSite: 'same-origin', host: 'localhost:3000' }), true);
    for (const secFetchSite of ['same-site', 'cross-site', 'none', ['same-origin', 'same-origin']]) {
      assert.equal(handshake({ secFetchSite, host: 'localhost:3000' }), false, String(secFetchSite));
    }
  });

  it('does not let Sec-Fetch-Site overrule a foreign Origin', () => {
    assert.equal(
      handshake({ origin: 'https://evil.example', secFetchSite: 'same-origin', host: 'localhost:3000' }),
      false,
    );
  });

  it('knows no own origin without a Host', () => {
    assert.equal(http({ origin: 'http://localhost:3000' }), false);
    assert.equal(handshake({ origin: 'https://forum.example' }), true, 'a public origin still counts');
  });
});
