import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { parseId } from '../common/ids.js';
import { SecretsRepository } from '../common/secrets.repository.js';
import { type UserDto, toUserDto } from '../users/dto/user.dto.js';
import { type UserRole } from '../users/user.entity.js';
import { isBanInForce } from '../users/ban-rule.js';
import { UsersRepository } from '../users/users.repository.js';
import { type AuthResultDto, type LoginDto, type MeDto, type OwnBanDto, type RegisterDto } from './dto/auth.dto.js';
import { toAccountDto } from './dto/account.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AuditLog } from '../audit/audit-log.js';
import { EventBus } from '../events/event-bus.js';
import { SessionsRepository } from './sessions.repository.js';
import { hashToken, newToken, TOKEN_PATTERN } from './tokens.js';
import { type Viewer, requireSignedIn, requireWriter } from './viewer.js';

export interface Session {
  viewer: Viewer;
  user: UserDto;
  sessionId: string;
  expiresAt: Date;
}

/** What the start did about the bootstrap admin (see AuthService.ensureAdmin). */
export type BootstrapAdminOutcome = 'created' | 'promoted' | 'refused' | 'already-admin' | 'already-done';

/** Prefix of the app_secrets rows that record that a bootstrap admin was set up, per username (value: its user id). */
const BOOTSTRAP_ADMIN_MARKER = 'bootstrap-admin';

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
    private readonly secrets: SecretsRepository,
  ) {}

  async register(input: RegisterDto): Promise<AuthResultDto> {
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.createAccount({
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash,
      role: 'reader',
    });
    if (!user) throw new DomainError(ErrorCode.Conflict, 'That username is taken.');
    return { user: toUserDto(user), ban: null, token: await this.openSession(user.id), account: toAccountDto(user) };
  }

  /** The same 401, after the same work, for an unknown user and a wrong password. */
  async login(input: LoginDto): Promise<AuthResultDto> {
    const user = await this.users.findByUsername(input.username);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, input.password);
    if (!user || !ok) throw new DomainError(ErrorCode.Unauthenticated, 'Wrong username or password.');
    const ban = isBanInForce(user, new Date()) ? { until: user.bannedUntil, reason: user.banReason ?? '' } : null;
    return {
      user: toUserDto(user),
      ban: toOwnBanDto(ban),
      token: await this.openSession(user.id),
      account: toAccountDto(user),
    };
  }

  async logout(token: string | undefined): Promise<void> {
    const ended =
      token !== undefined &&
      (await this.uow.run(async (tx) => {
        const sessionId = await this.sessions.delete(hashToken(token), tx);
        if (sessionId) this.bus.record(tx, { type: 'session.ended', payload: { sessionId } });
        return sessionId !== null;
      }));
    if (!ended) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
  }

  /** The session a token opens, or null when the token is unknown, revoked or expired. */
  async sessionFor(token: string): Promise<Session | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const found = await this.sessions.findActive(hashToken(token));
    if (!found) return null;
    const user = { id: found.userId, username: found.username, displayName: found.displayName, role: found.role };
    const ban = found.isBanned ? { until: found.bannedUntil, reason: found.banReason ?? '' } : null;
    return {
      viewer: { userId: found.userId, role: found.role, ban },
      user: toUserDto(user),
      sessionId: found.sessionId,
      expiresAt: found.expiresAt,
    };
  }

  /** Who a session token belongs to, with their own ban; 401 without a live session. */
  async me(token: string | undefined): Promise<MeDto> {
    const session = token ? await this.sessionFor(token) : null;
    const account = session && (await this.users.findById(session.user.id));
    if (!session || !account) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
    return { user: session.user, ban: toOwnBanDto(session.viewer.ban), account: toAccountDto(account) };
  }

  /**
   * A second session for the signed-in user, with a token of its own and the usual lifetime: what the sign-in popup of
   * an embedded discussion hands to its frame (which cannot use the cookie on another site's page). Ending either
   * session leaves the other.
   */
  async openAnotherSession(viewer: Viewer): Promise<AuthResultDto> {
    const userId = requireSignedIn(viewer);
    const account = await this.users.findById(userId);
    if (!account) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
    return {
      user: toUserDto(account),
      ban: toOwnBanDto(viewer.ban),
      token: await this.openSession(userId),
      account: toAccountDto(account),
    };
  }

  /** Admins change roles; nobody changes their own (so the last admin cannot lock everyone out by mistake). */
  async changeRole(viewer: Viewer, rawUserId: string, role: UserRole): Promise<UserDto> {
    requireWriter(viewer);
    if (viewer.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Only an admin changes roles.');
    const userId = parseId(rawUserId, ErrorCode.UserNotFound, 'user');
    if (userId === viewer.userId) throw new DomainError(ErrorCode.Forbidden, 'You cannot change your own role.');
    const actorId = viewer.userId as string;
    const user = await this.uow.run(async (tx) => {
      const user = await this.users.setRole(userId, role, tx);
      if (!user) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
      await this.audit.record(tx, { actorId, action: 'user.role', userId, details: { role } });
      this.bus.record(tx, {
        type: 'user.role-changed',
        payload: { userId, role, banInForce: isBanInForce(user, new Date()) },
      });
      return user;
    });
    return toUserDto(user);
  }

  /**
   * The first admin, from ADMIN_USERNAME / ADMIN_PASSWORD, set up once per database:
   * - no account has that username: it is created as admin. Without ADMIN_PASSWORD a random password is generated
   *   and shown once, at this start only (showGeneratedPassword);
   * - an account has that username already (someone registered it first): it is made admin only when ADMIN_PASSWORD
   *   is set and is that account's password; otherwise it is left as it is and the start warns;
   * - once an admin was created or confirmed this way for a username, that is recorded and later starts with that
   *   ADMIN_USERNAME leave its role alone (a bootstrap admin that an admin demoted stays demoted).
   */
  async ensureAdmin(): Promise<BootstrapAdminOutcome> {
    const username = this.config.adminUsername;
    const marker = `${BOOTSTRAP_ADMIN_MARKER}:${username.toLowerCase()}`;
    const recorded = await this.secrets.findMarker(marker);
    if (recorded !== null) return 'already-done';
    const existing = await this.users.findByUsername(username);
    if (!existing) {
      const password = this.config.adminPassword ?? randomBytes(18).toString('base64url');
      const created = await this.users.createAccount({
        username,
        displayName: username,
        passwordHash: await this.hasher.hash(password),
        role: 'admin',
      });
      // Another process of the same database created it a moment ago: its start reports it.
      if (!created) return this.ensureAdmin();
      await this.secrets.recordMarker(marker, created.id);
      if (this.config.adminPassword) this.logger.log(`Created the first admin "${username}" (ADMIN_USERNAME)`);
      else this.showGeneratedPassword(username, password);
      return 'created';
    }
    if (existing.role === 'admin') {
      await this.secrets.recordMarker(marker, existing.id);
      return 'already-admin';
    }
    const passwordMatches =
      this.config.adminPassword !== null &&
      (await this.hasher.verify(existing.passwordHash, this.config.adminPassword));
    if (!passwordMatches) {
      this.logger.warn(
        `ADMIN_USERNAME "${username}" names an existing ${existing.role} account whose password is not ADMIN_PASSWORD` +
          `${this.config.adminPassword === null ? ' (ADMIN_PASSWORD is not set)' : ''}: it was NOT made admin. ` +
          "Set ADMIN_PASSWORD to that account's password to promote it, or choose an ADMIN_USERNAME nobody has registered.",
      );
      return 'refused';
    }
    await this.users.setRole(existing.id, 'admin');
    await this.secrets.recordMarker(marker, existing.id);
    this.logger.log(
      `Made the existing account "${existing.username}" admin: ADMIN_PASSWORD is its password (ADMIN_USERNAME)`,
    );
    return 'promoted';
  }

  /**
   * The generated password, once, where whoever started the forum looks for it. On a terminal (the text log): a banner
   * on the console. In the JSON log: one record at `warn`, so that it shows at every LOG_LEVEL but `error`, whose
   * `firstAdminPassword` field holds it; a banner there would reach a log collector as loose lines, the password on
   * one of them without the sentence that says what it is, and break whatever parses the stream. This is the one
   * secret the log ever carries: the first sign-in should change it.
   */
  private showGeneratedPassword(username: string, password: string): void {
    if (this.config.logFormat === 'text') {
      process.stdout.write(
        `\n  The first admin is "${username}" with the generated password:\n\n    ${password}\n\n  It is shown this once; set ADMIN_PASSWORD to choose your own.\n\n`,
      );
      this.logger.log(`Created the first admin "${username}" (ADMIN_USERNAME)`);
      return;
    }
    this.logger.warn({
      msg:
        `Created the first admin "${username}" (ADMIN_USERNAME) with a generated password, in firstAdminPassword: ` +
        'shown this once; sign in and change it, or set ADMIN_PASSWORD to choose your own',
      firstAdminPassword: password,
    });
  }
  /**
   * Opens a session for a user and returns its bearer token: a random token, of which only the SHA-256 is stored, with
   * the configured lifetime. Register and login call it after checking the password; test fixtures call it to sign in
   * an account they created without hashing a password at request time.
   */
  async openSession(userId: string): Promise<string> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3_600_000);
    await this.sessions.create(userId, hashToken(token), expiresAt);
    return token;
  }
}

function toOwnBanDto(ban: Viewer['ban']): OwnBanDto | null {
  return ban && { until: ban.until?.toISOString() ?? null, reason: ban.reason };
}
