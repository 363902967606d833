import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DECOY_HASH, PasswordHasher } from './password-hasher.js';

/** The `$argon2id$v=..$m=..,p=..,t=..$` head of a hash: its algorithm and cost parameters. */
function parametersOf(hash: string): string {
  return hash.split('$').slice(0, 4).join('$');
}

describe('PasswordHasher', () => {
  const sut = new PasswordHasher();

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
});
