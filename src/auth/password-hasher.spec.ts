import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config/app-config.js';
import { DECOY_HASH, PasswordHasher } from './password-hasher.js';

/** The `$argon2id$v=..$m=..,p=..,t=..$` head of a hash: its algorithm and cost parameters. */
function parametersOf(hash: string): string {
  return hash.split('$').slice(0, 4).join('$');
}

describe('PasswordHasher', () => {
  const sut = new PasswordHasher(loadConfig({}));

  it('verifies a password against its own hash and refuses another one', async () => {
    const hash = await sut.hash('a correct password');
    assert.equal(await sut.verify(hash, 'a correct password'), true);
    assert.equal(await sut.verify(hash, 'a wrong password'), false);
  });

  it('answers false for no hash at all, after verifying against a decoy of the same cost as a real hash', async () => {
    const real = await sut.hash('any password');
    assert.equal(parametersOf(DECOY_HASH), parametersOf(real));
    assert.equal(await sut.verify(null, 'any password'), false);
    assert.equal(await sut.verify(null, ''), false);
  });

  it('hashes at the cost the configuration gives, and still refuses a missing hash after the same work', async () => {
    const cheap = new PasswordHasher(loadConfig({ PASSWORD_HASH_MEMORY_KIB: '1024', PASSWORD_HASH_PASSES: '1' }));
    const hash = await cheap.hash('a correct password');
    assert.equal(parametersOf(hash), '$argon2id$v=19$m=1024,p=4,t=1');
    assert.equal(await cheap.verify(hash, 'a correct password'), true);
    assert.equal(await cheap.verify(hash, 'a wrong password'), false);
    assert.equal(await cheap.verify(null, 'a correct password'), false);
    // A hash made at another cost still verifies: its parameters travel with it.
    assert.equal(await cheap.verify(await sut.hash('older'), 'older'), true);
  });
});
