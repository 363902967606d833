import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newUser } from '../../test/helpers/accounts.js';
import { type MediumContext, startMediumContext } from '../../test/helpers/medium.js';
import { Injectable, Module } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { type DomainEvents } from '../events/domain-events.js';
import { OnDomainEvent } from '../events/on-event.decorator.js';
import { AuthService } from './auth.service.js';
import { SessionsRepository } from './sessions.repository.js';

/** What the sessions table keeps of a token: its SHA-256, never the token. */
function tokenHashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isUnauthenticated(error: unknown): boolean {
  return error instanceof DomainError && error.code === ErrorCode.Unauthenticated;
}

/** Hears the sessions that ended, as any listener of the domain events would. */
@Injectable()
class EndedSessions {
  readonly ids: string[] = [];

  @OnDomainEvent('session.ended')
  ended({ sessionId }: DomainEvents['session.ended']): void {
    this.ids.push(sessionId);
  }
}

@Module({ providers: [EndedSessions] })
class EndedSessionsModule {}

/** Sessions: AuthService with its real SessionsRepository on PostgreSQL, no HTTP. */
describe('sessions (service and repository on the real database)', () => {
  let context: MediumContext;
  let sut: AuthService;
  let sessions: SessionsRepository;

  before(async () => {
    context = await startMediumContext({ env: { SESSION_TTL_HOURS: '2' }, modules: [EndedSessionsModule] });
    sut = context.app.get(AuthService);
    sessions = context.app.get(SessionsRepository);
  });

  after(() => context.close());

  it('opens a session whose token finds its user and expires after the configured lifetime', async () => {
    const account = await newUser(context);
    const opened = Date.now();
    const token = await sut.openSession(account.id);
    const session = await sut.sessionFor(token);
    assert.ok(session, 'the new token opens a session');
    assert.deepEqual(session.user, {
      id: account.id,
      username: account.username,
      displayName: account.displayName,
      role: 'reader',
    });
    assert.deepEqual(session.viewer, { userId: account.id, role: 'reader', ban: null });
    const lifetime = session.expiresAt.getTime() - opened;
    assert.ok(lifetime > 2 * 3_600_000 - 60_000 && lifetime <= 2 * 3_600_000 + 1_000, `lifetime ${lifetime} ms`);
  });

  it('stores only the hash of a token', async () => {
    const account = await newUser(context);
    const token = await sut.openSession(account.id);
    const rows: { token_hash: string }[] = await context.dataSource.query(
      'SELECT token_hash FROM sessions WHERE user_id = $1',
      [account.id],
    );
    assert.deepEqual(rows.map((r) => r.token_hash).sort(), [tokenHashOf(account.token), tokenHashOf(token)].sort());
  });

  it('finds no session for an unknown token, nor for one that is not token-shaped', async () => {
    assert.equal(await sut.sessionFor(randomBytes(32).toString('base64url')), null);
    assert.equal(await sut.sessionFor("' OR 1=1 --"), null);
    assert.equal(await sut.sessionFor(''), null);
  });

  it('finds no session past its expiry, and the sweep removes only expired sessions', async () => {
    const account = await newUser(context);
    const expired = randomBytes(32).toString('base64url');
    await sessions.create(account.id, tokenHashOf(expired), new Date(Date.now() - 1_000));
    assert.equal(await sut.sessionFor(expired), null);
    assert.ok((await sessions.deleteExpired()) >= 1);
    const left: { n: number }[] = await context.dataSource.query(
      'SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1',
      [tokenHashOf(expired)],
    );
    assert.equal(left[0].n, 0);
    assert.ok(await sut.sessionFor(account.token), 'the unexpired session of the same account stays');
  });

  it("logs out one session and leaves the account's other sessions open", async () => {
    const account = await newUser(context);
    const other = await sut.openSession(account.id);
    const stranger = await newUser(context);
    await sut.logout(account.token);
    assert.equal(await sut.sessionFor(account.token), null);
    assert.ok(await sut.sessionFor(other), 'the same account on another device stays signed in');
    assert.ok(await sut.sessionFor(stranger.token), "another account's session stays");
  });

  it('records which session was logged out, for the listeners of session.ended', async () => {
    const account = await newUser(context);
    const session = await sut.sessionFor(account.token);
    assert.ok(session);
    const ended = context.app.get(EndedSessions).ids;
    const before = ended.length;
    await sut.logout(account.token);
    assert.deepEqual(ended.slice(before), [session.sessionId]);
  });

  it('refuses to log out without a token, an unknown one or one already logged out', async () => {
    const account = await newUser(context);
    await sut.logout(account.token);
    await assert.rejects(sut.logout(account.token), isUnauthenticated);
    await assert.rejects(sut.logout(undefined), isUnauthenticated);
    await assert.rejects(sut.logout(randomBytes(32).toString('base64url')), isUnauthenticated);
  });

  it('answers me() with the signed-in user, no ban and their own account settings, and 401 once the session ended', async () => {
    const account = await newUser(context);
    assert.deepEqual(await sut.me(account.token), {
      user: { id: account.id, username: account.username, displayName: account.displayName, role: 'reader' },
      ban: null,
      account: { email: null, emailVerified: false, emailNotifications: 'instant', timeZone: null },
    });
    await sut.logout(account.token);
    await assert.rejects(sut.me(account.token), isUnauthenticated);
  });
});
