import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from './api.js';
import { checkFields, PASSWORD_RULE, refusalOf, USERNAME_RULE } from './auth-form.js';

const refusal = (status: number, messages: string[]) =>
  new ApiError(status, 'validation_failed', messages.join(' '), null, messages);

describe('the sign-in and sign-up form', () => {
  it('states the rules with the server’s own limits', () => {
    assert.equal(USERNAME_RULE, `${USERNAME_MIN} to ${USERNAME_MAX} characters: A-Z, a-z, 0-9, _ and -.`);
    assert.equal(PASSWORD_RULE, `At least ${PASSWORD_MIN} characters.`);
  });

  it('checks a new account against the rules, each sentence naming its field', () => {
    assert.deepEqual(checkFields(true, 'ada_lovelace-1', 'x'.repeat(PASSWORD_MIN)), {});
    assert.deepEqual(checkFields(true, '', ''), {
      username: 'Username is missing.',
      password: 'Password is missing.',
    });
    const refused = checkFields(true, 'ada lovelace', 'x'.repeat(PASSWORD_MIN - 1));
    assert.match(refused.username ?? '', /^Username must be 3 to 32 characters of A-Z, a-z, 0-9, _ and -\.$/);
    assert.equal(refused.password, `Password must be at least ${PASSWORD_MIN} characters.`);
    assert.ok(checkFields(true, 'a'.repeat(USERNAME_MAX + 1), 'x'.repeat(PASSWORD_MIN)).username);
    assert.ok(checkFields(true, 'a'.repeat(USERNAME_MIN - 1), 'x'.repeat(PASSWORD_MIN)).username);
    // Counted in code points, as the server counts: each emoji is one character, though two UTF-16 units.
    assert.ok(checkFields(true, 'emoji', '🙂'.repeat(PASSWORD_MIN - 1)).password);
    assert.deepEqual(checkFields(true, 'emoji', '🙂'.repeat(PASSWORD_MIN)), {});
  });

  it('signs in with any name and password typed: older accounts may not meet today’s rules', () => {
    assert.deepEqual(checkFields(false, 'old name', 'short'), {});
    assert.deepEqual(Object.keys(checkFields(false, '', '')), ['username', 'password']);
  });

  it('puts the server’s refusal beside the fields it names, and the rest above the buttons', () => {
    assert.deepEqual(
      refusalOf(
        refusal(400, [
          'username must be 3-32 characters of A-Z, a-z, 0-9, _ and -',
          'password must be longer than or equal to 8 characters',
          'displayName must contain no invisible characters',
          'property email should not exist',
        ]),
      ),
      {
        fields: {
          username: 'Username must be 3-32 characters of A-Z, a-z, 0-9, _ and -',
          password: 'Password must be longer than or equal to 8 characters',
          displayName: 'Display name must contain no invisible characters',
        },
        form: 'property email should not exist',
      },
    );
    assert.deepEqual(refusalOf(new ApiError(409, 'conflict', 'That username is taken.', null)), {
      fields: { username: 'That username is taken.' },
      form: null,
    });
    assert.deepEqual(refusalOf(new ApiError(401, 'unauthenticated', 'Wrong username or password.', null)), {
      fields: {},
      form: 'Wrong username or password.',
    });
    assert.deepEqual(refusalOf(new Error('boom')), { fields: {}, form: 'Something went wrong; try again.' });
  });
});
