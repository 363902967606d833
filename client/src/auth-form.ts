/**
 * The sign-in and sign-up form as plain functions (no DOM), so that a spec can hold them: the rules a new account
 * must meet, in words and as checks made before anything is sent, and the server's refusal put beside the fields it
 * names. The limits are the server's own constants: nothing here repeats a number.
 */
import { ApiError, PASSWORD_MIN, USERNAME_CHARACTERS, USERNAME_MAX, USERNAME_MIN, USERNAME_PATTERN } from './api.js';

export type AuthField = 'username' | 'password' | 'displayName';

export type FieldErrors = Partial<Record<AuthField, string>>;

/** Each field's name as the form shows it, for the sentences that name it. */
export const FIELD_LABELS: Record<AuthField, string> = {
  username: 'Username',
  password: 'Password',
  displayName: 'Display name',
};

/** What a new account's username and password must be, shown under the fields before anything is typed. */
export const USERNAME_RULE = `${USERNAME_MIN} to ${USERNAME_MAX} characters: ${USERNAME_CHARACTERS}.`;
export const PASSWORD_RULE = `At least ${PASSWORD_MIN} characters.`;

const USERNAME = new RegExp(USERNAME_PATTERN);

/**
 * What the form can tell before asking the server, each sentence naming its field. Signing in checks only that
 * something was typed: an account made under older rules must still be able to sign in.
 */
export function checkFields(signingUp: boolean, username: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!username) errors.username = 'Username is missing.';
  else if (signingUp && !USERNAME.test(username))
    errors.username = `Username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters of ${USERNAME_CHARACTERS}.`;
  if (!password) errors.password = 'Password is missing.';
  // In code points, as the server counts.
  else if (signingUp && [...password].length < PASSWORD_MIN)
    errors.password = `Password must be at least ${PASSWORD_MIN} characters.`;
  return errors;
}

/**
 * The server's refusal, beside the fields it names: its validation sentences start with the field's name ("password
 * must be longer than…"), which becomes the form's label; a taken username is the username's. Anything else (a
 * wrong password, too many attempts, no connection) is the form's, shown above its buttons.
 */
export function refusalOf(error: unknown): { fields: FieldErrors; form: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, form: 'Something went wrong; try again.' };
  if (error.status === 409) return { fields: { username: error.message }, form: null };
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const message of error.status === 400 ? error.messages : []) {
    const field = (Object.keys(FIELD_LABELS) as AuthField[]).find((name) => message.startsWith(`${name} `));
    if (!field) {
      rest.push(message);
      continue;
    }
    const sentence = `${FIELD_LABELS[field]}${message.slice(field.length)}`;
    fields[field] = fields[field] ? `${fields[field]} ${sentence}` : sentence;
  }
  const form = rest.length > 0 ? rest.join(' ') : Object.keys(fields).length === 0 ? error.message : null;
  return { fields, form };
}
