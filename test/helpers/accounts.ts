import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { AuthService } from '../../src/auth/auth.service.js';
import { AppConfig } from '../../src/config/app-config.js';
import { toUserDto } from '../../src/users/dto/user.dto.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import { type TestApp } from './test-app.js';

/** The password of every account these helpers register. */
export const PASSWORD = 'correct-horse-battery';

/**
 * An argon2id hash of PASSWORD at the suites' cheap cost (CHEAP_PASSWORD_HASHING: 1 MiB, 1 pass, 4 lanes), computed
 * once and kept here so that newUser() hashes nothing and a sign-in verifies in ~2 ms. It is a real hash: a fixture
 * account signs in with PASSWORD (test/accounts.e2e.ts checks it), whatever cost the app hashes new passwords at. If
 * PASSWORD changes, recompute it with
 * `node -e "require('argon2').hash(PASSWORD, { type: 2, memoryCost: 1024, timeCost: 1, parallelism: 4 }).then(console.log)"`.
 */
export const PASSWORD_HASH =
  '$argon2id$v=19$m=1024,p=4,t=1$Nepz3SmyeooNN9+tSV22OA$Nc7ZijX1RsMvusJop0RkjJRaMEm8HmrjbKWJYSUVe3Q';

/** Pass as `env` to startTestApp when a suite needs the first admin: `startTestApp({ env: ADMIN_ENV })`. */
export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const ADMIN_ENV = { ADMIN_USERNAME, ADMIN_PASSWORD };
/** An argon2id hash of ADMIN_PASSWORD at the same cheap cost, computed once like PASSWORD_HASH. */
export const ADMIN_PASSWORD_HASH =
  '$argon2id$v=19$m=1024,p=4,t=1$ESob0IBHDuyURxJYhuZhcA$92mHJJ5e1iFEzsT7JDgu8cu0pO43Z5wxBBDqGycVBY4';

export type Role = 'reader' | 'moderator' | 'admin';

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  token: string;
  password: string;
}

/** A fresh username, unique within a run. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * A reader for suites that are not about sign-up or passwords, without hashing at request time: the account is
 * inserted by the app's own UsersRepository with PASSWORD_HASH, and signed in by AuthService.openSession (the session
 * register and login open). It is a real account: it signs in with PASSWORD, its token works over HTTP and sockets.
 */
export async function newUser(
  t: { app: Pick<INestApplicationContext, 'get'> },
  name = uniqueName(),
  options: { displayName?: string } = {},
): Promise<Account> {
  const user = await t.app.get(UsersRepository).createAccount({
    username: name,
    displayName: options.displayName ?? name,
    passwordHash: PASSWORD_HASH,
    role: 'reader',
  });
  assert.ok(user, `newUser ${name}: that username is taken`);
  const token = await t.app.get(AuthService).openSession(user.id);
  return { ...toUserDto(user), token, password: PASSWORD };
}

/** Registers a reader through the API (201 expected) and returns the account with its bearer token. */
export async function register(
  t: TestApp,
  name = uniqueName(),
  options: { displayName?: string } = {},
): Promise<Account> {
  const res = await t.http.post('/api/auth/register').send({ username: name, password: PASSWORD, ...options });
  assert.equal(res.status, 201, `register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    ...(res.body.user as Omit<Account, 'token' | 'password'>),
    token: res.body.token as string,
    password: PASSWORD,
  };
}

/** Another session of an account, opened like login's without checking the password: a new token. */
export async function newSession(t: { app: Pick<INestApplicationContext, 'get'> }, account: Account): Promise<Account> {
  return { ...account, token: await t.app.get(AuthService).openSession(account.id) };
}

/** Signs in through the API (200 expected): a new session, so a new token. */
export async function login(t: TestApp, username: string, password = PASSWORD): Promise<Account> {
  const res = await t.http.post('/api/auth/login').send({ username, password });
  assert.equal(res.status, 200, `login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(res.body.user as Omit<Account, 'token' | 'password'>), token: res.body.token as string, password };
}

/**
 * The first admin (ADMIN_ENV, which the app must have been started with), signed in by a session opened like login's
 * without verifying ADMIN_PASSWORD again (test/bootstrap-admin.e2e.ts signs it in through the API). Without hashing:
 * when the app runs with ADMIN_ENV, the admin account is put in place with ADMIN_PASSWORD_HASH (so it still signs in
 * with ADMIN_PASSWORD), then the app's own ensureAdmin() finds it and records the bootstrap as done, as at a start.
 */
export async function signInAdmin(t: TestApp): Promise<Account> {
  const auth = t.app.get(AuthService);
  const users = t.app.get(UsersRepository);
  const config = t.app.get(AppConfig);
  const startedWithAdminEnv = config.adminUsername === ADMIN_USERNAME && config.adminPassword === ADMIN_PASSWORD;
  if (startedWithAdminEnv && !(await users.findByUsername(ADMIN_USERNAME))) {
    await users.createAccount({
      username: ADMIN_USERNAME,
      displayName: ADMIN_USERNAME,
      passwordHash: ADMIN_PASSWORD_HASH,
      role: 'admin',
    });
  }
  await auth.ensureAdmin();
  const user = await users.findByUsername(ADMIN_USERNAME);
  assert.ok(user, 'the first admin exists');
  assert.equal(user.role, 'admin');
  const token = await auth.openSession(user.id);
  return { ...toUserDto(user), token, password: ADMIN_PASSWORD };
}

/** A fixture account (newUser) given a role through `PATCH /api/admin/users/:id` with an admin's token. */
export async function withRole(t: TestApp, adminToken: string, role: Role, name = uniqueName(role)): Promise<Account> {
  const account = await newUser(t, name);
  if (role === 'reader') return account;
  const res = await t.http
    .patch(`/api/admin/users/${account.id}`)
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ role });
  assert.equal(res.status, 200, `make ${name} ${role}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.user.role, role);
  return { ...account, role };
}

/** `Authorization` header value for an account's token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/** The `forum_session` cookie pair (`forum_session=...`) from a response's Set-Cookie, or undefined. */
export function sessionCookieOf(setCookie: string | string[] | undefined): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = lines.find((l) => l.startsWith('forum_session='));
  return line?.split(';')[0];
}

const LEAK =
  /at \S+ \(|node_modules|\.[jt]s:\d+|Error:|QueryFailedError|\bSELECT |\bINSERT INTO|\bUPDATE \w+ SET|\bDELETE FROM|syntax error at|violates .*constraint|duplicate key|invalid byte sequence|\bpg_/;

/** The contract's error body: `{ statusCode, error, message }` with the given status, no stack trace or SQL. */
export function assertErrorBody(
  res: { status: number; body: unknown; text?: string },
  status: number,
  label = '',
): void {
  const where = `${label} ${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, where);
  const body = res.body as Record<string, unknown>;
  assert.equal(body.statusCode, status, where);
  assert.equal(typeof body.error, 'string', where);
  assert.ok((body.error as string).length > 0, where);
  assert.ok(
    typeof body.message === 'string' ||
      (Array.isArray(body.message) && body.message.every((m) => typeof m === 'string')),
    where,
  );
  assert.doesNotMatch(JSON.stringify(body), LEAK, `${where}: a stack trace or SQL reaches the client`);
}

/** Any 4xx with the contract's error body (for hostile input where several statuses are fair). */
export function assertClientError(res: { status: number; body: unknown }, label = ''): void {
  assert.ok(
    res.status >= 400 && res.status < 500,
    `${label}: expected a 4xx, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
  );
  assertErrorBody(res, res.status, label);
}

/** Posts a comment over HTTP as `who` (a reply with `parentId`), asserts the 201, and answers its id. */
export async function postComment(
  t: TestApp,
  who: Account,
  slug: string,
  body: string,
  parentId?: string,
): Promise<string> {
  const res = await t.http
    .post(`/api/articles/${slug}/comments`)
    .set('Authorization', bearer(who.token))
    .send(parentId ? { body, parentId } : { body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}
