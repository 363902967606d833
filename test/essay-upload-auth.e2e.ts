import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  sessionCookieOf,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/**
 * 1.5 MB that starts like an essay and never ends its string: whoever parses it answers 400 (malformed JSON). A 401
 * or 403 for it shows the server refused the request without parsing the body.
 */
const UNPARSED = `{"title":"A title","author":"A. Writer","body":"${'a'.repeat(1_500_000)}`;

describe('POST /api/articles: only an admin gets the 2 MB body read', () => {
  let t: TestApp;
  let admin: Account;
  let reader: Account;
  let moderator: Account;
  let readerCookie: string;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    const res = await t.http
      .post('/api/auth/register')
      .send({ username: `reader-${randomBytes(3).toString('hex')}`, password: 'a long enough password' });
    reader = { ...res.body.user, token: res.body.token } as Account;
    readerCookie = sessionCookieOf(res.headers['set-cookie']) as string;
  });

  after(() => t.close());

  const upload = (headers: Record<string, string>) =>
    t.http
      .post('/api/articles')
      .set({ 'Content-Type': 'application/json', ...headers })
      .send(UNPARSED);

  it('answers 401 to a forged bearer token without parsing its 1.5 MB body', async () => {
    assertErrorBody(
      await upload({ Authorization: bearer(randomBytes(32).toString('base64url')) }),
      401,
      'forged bearer',
    );
    assertErrorBody(await upload({ Authorization: 'Bearer' }), 401, 'a bearer without a token');
    assertErrorBody(await upload({ Authorization: 'Basic YWRtaW46YWRtaW4=' }), 401, 'another scheme');
  });

  it('answers 401 to a forged session cookie without parsing its 1.5 MB body', async () => {
    const res = await upload({ Cookie: `forum_session=${randomBytes(32).toString('base64url')}`, Origin: t.baseUrl });
    assertErrorBody(res, 401, 'forged cookie');
  });

  it('answers 403 to a reader and a moderator without parsing their 1.5 MB bodies', async () => {
    assertErrorBody(await upload({ Authorization: bearer(reader.token) }), 403, 'reader bearer');
    assertErrorBody(await upload({ Cookie: readerCookie, Origin: t.baseUrl }), 403, 'reader cookie');
    assertErrorBody(await upload({ Authorization: bearer(moderator.token) }), 403, 'moderator bearer');
  });

  it('still reads an admin’s 1.5 MB body (this one is not JSON: 400)', async () => {
    const res = await upload({ Authorization: bearer(admin.token) });
    assertErrorBody(res, 400, 'admin');
  });
});
