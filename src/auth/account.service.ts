import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { AppConfig } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { RateLimitRepository } from '../common/rate-limit/rate-limit.repository.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { EventBus } from '../events/event-bus.js';
import { MailOutbox } from '../mail/mail-outbox.js';
import { AccountTokensRepository } from '../users/account-tokens.repository.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { UnsubscribeLinks } from '../users/unsubscribe-links.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { PASSWORD_RESET_TTL_MS, passwordResetMail, VERIFY_EMAIL_TTL_MS, verificationMail } from './account-mails.js';
import {
  type AccountDto,
  toAccountDto,
  type ChangePasswordDto,
  type PasswordResetConfirmDto,
  type UpdateMeDto,
  type UserAccountDto,
} from './dto/account.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { hashToken, newToken } from './tokens.js';
import { requireSignedIn, requireWriter, type Viewer } from './viewer.js';

const HOUR = 3_600_000;
/**
 * Reset mails one address may be sent an hour (times RATE_LIMIT_FACTOR), however many clients ask: the form cannot be
 * used to flood someone's mailbox. Beyond it the request still answers 202 (the same answer as ever) and mails nothing.
 */
const RESET_MAILS_PER_ADDRESS_PER_HOUR = 3;
/** Verification links a user may ask to be mailed again in an hour. */
const VERIFY_MAILS_PER_HOUR = 3;

const BAD_LINK = 'The link is unknown, was used already, or has expired.';

/**
 * A user's own account: their e-mail address and its verification, their notification setting, their password
 * (change, and reset by mail), and one-click unsubscribe. Every change that ends sessions says so through
 * `session.ended`, so their live connections close too; security changes go to the audit log (never an address or a
 * token).
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
    private readonly mail: MailOutbox,
    private readonly unsubscribeLinks: UnsubscribeLinks,
    private readonly rateLimits: RateLimitRepository,
    private readonly config: AppConfig,
  ) {}

  /** The user's own settings. */
  async account(userId: string): Promise<AccountDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
    return toAccountDto(user);
  }

  /**
   * Changes the display name, the address, the notification setting or the time zone. A new address replaces the old
   * one at once, unverified; earlier verification links stop working, and a new one is mailed to it. An address
   * another account has verified is a 409 (it would find two accounts for one address at a password reset).
   */
  async update(viewer: Viewer, input: UpdateMeDto): Promise<UserAccountDto> {
    const userId = requireSignedIn(viewer);
    const user = await this.uow.run(async (tx) => {
      const user = await this.users.findForUpdate(tx, userId);
      if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
      if (input.displayName !== undefined && input.displayName !== user.displayName) {
        // Banned users keep their account settings, but not a new name to write under later.
        requireWriter(viewer);
        await this.users.setDisplayName(tx, userId, input.displayName);
      }
      if (input.emailNotifications !== undefined)
        await this.users.setEmailNotifications(tx, userId, input.emailNotifications);
      if (input.timeZone !== undefined && input.timeZone !== user.timeZone)
        await this.users.setTimeZone(tx, userId, input.timeZone);
      if (input.email !== undefined && (input.email?.toLowerCase() ?? null) !== user.emailKey)
        await this.changeEmail(tx, user, input.email);
      return (await this.users.findById(userId, tx)) as UserEntity;
    });
    return { user: toUserDto(user), account: toAccountDto(user) };
  }

  private async changeEmail(tx: Tx, user: UserEntity, email: string | null): Promise<void> {
    const emailKey = email?.toLowerCase() ?? null;
    if (emailKey && (await this.users.emailVerifiedElsewhere(tx, user.id, emailKey)))
      throw new DomainError(ErrorCode.Conflict, 'That e-mail address belongs to another account.');
    await this.users.setEmail(tx, user.id, email);
    await this.tokens.deleteForUser(tx, user.id, 'verify-email');
    await this.audit.record(tx, {
      actorId: user.id,
      action: 'account.email-change',
      userId: user.id,
      details: { removed: email === null },
    });
    if (!email || !emailKey) return;
    await this.mailVerificationLink(tx, user, email, emailKey);
  }

  /**
   * Mails a fresh verification link to the user's unverified address (the earlier link stops working): for a mail
   * that went astray. At most VERIFY_MAILS_PER_HOUR an hour per user (429 after), so that it cannot bomb an address.
   * No address: 400; a verified one: 409.
   */
  async resendVerification(viewer: Viewer): Promise<void> {
    const userId = requireSignedIn(viewer);
    const known = await this.users.findById(userId);
    if (!known) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
    if (!known.email)
      throw new DomainError(ErrorCode.ValidationFailed, 'There is no address to verify: give one first.');
    if (known.emailVerified) throw new DomainError(ErrorCode.Conflict, 'That address is verified already.');
    const limit = Math.max(1, Math.round(VERIFY_MAILS_PER_HOUR * this.config.rateLimitFactor));
    const count = await this.rateLimits.hit(`verify-mail:${userId}`, HOUR, limit, HOUR);
    if (count.blockedLeftMs > 0)
      throw new DomainError(
        ErrorCode.RateLimited,
        'Verification links were sent several times in the last hour; try again later.',
        Math.ceil(count.blockedLeftMs / 1000),
      );
    await this.uow.run(async (tx) => {
      // The address as it is now, locked: a change meanwhile makes this link one for the new address, or none.
      const user = await this.users.findForUpdate(tx, userId);
      if (!user?.email || !user.emailKey || user.emailVerified) return;
      await this.mailVerificationLink(tx, user, user.email, user.emailKey);
    });
  }

  /** A new verification token for this address (replacing any earlier one), mailed to it. */
  private async mailVerificationLink(tx: Tx, user: UserEntity, email: string, emailKey: string): Promise<void> {
    const token = newToken();
    await this.tokens.replace(tx, {
      userId: user.id,
      purpose: 'verify-email',
      tokenHash: hashToken(token),
      emailKey,
      expiresAt: new Date(Date.now() + VERIFY_EMAIL_TTL_MS),
    });
    await this.mail.queue(tx, verificationMail({ ...user, email }, this.mail.link(`/verify-email?token=${token}`)));
  }

  /** Uses a verification link: the address it was mailed to becomes verified, if it is still the user's. */
  async verifyEmail(token: string): Promise<UserAccountDto> {
    const user = await this.uow.run(async (tx) => {
      const used = await this.tokens.consume(tx, 'verify-email', hashToken(token));
      if (!used?.emailKey) throw new DomainError(ErrorCode.ValidationFailed, BAD_LINK);
      const outcome = await this.users.markEmailVerified(tx, used.userId, used.emailKey);
      if (outcome === 'stale') throw new DomainError(ErrorCode.ValidationFailed, BAD_LINK);
      if (outcome === 'taken')
        throw new DomainError(ErrorCode.Conflict, 'Another account verified that e-mail address first.');
      return (await this.users.findById(used.userId, tx)) as UserEntity;
    });
    return { user: toUserDto(user), account: toAccountDto(user) };
  }

  /**
   * A new password, given the current one (403 when it is wrong, and nothing changes). Every other session of the user
   * ends (a thief signed in elsewhere is signed out); the one asking stays signed in. Open reset links stop working.
   */
  async changePassword(viewer: Viewer, sessionToken: string | undefined, input: ChangePasswordDto): Promise<void> {
    const userId = requireSignedIn(viewer);
    const user = await this.users.findById(userId);
    if (!user || !(await this.hasher.verify(user.passwordHash, input.currentPassword)))
      throw new DomainError(ErrorCode.Forbidden, 'The current password is wrong.');
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.uow.run(async (tx) => {
      await this.users.setPasswordHash(tx, userId, passwordHash);
      await this.tokens.deleteForUser(tx, userId, 'password-reset');
      await this.endSessions(tx, userId, sessionToken ? hashToken(sessionToken) : null);
      await this.audit.record(tx, { actorId: userId, action: 'account.password-change', userId });
    });
  }

  /**
   * Mails a reset link to the account whose verified address this is. The caller answers 202 whatever happens here:
   * known or not, verified or not, over the per-address limit or not, the answer says nothing about the address.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const emailKey = email.toLowerCase();
    const limit = Math.max(1, Math.round(RESET_MAILS_PER_ADDRESS_PER_HOUR * this.config.rateLimitFactor));
    const addressKey = createHash('sha256').update(emailKey).digest('hex');
    const count = await this.rateLimits.hit(`password-reset-mail:${addressKey}`, HOUR, limit, HOUR);
    if (count.blockedLeftMs > 0) return;
    const user = await this.users.findByVerifiedEmail(emailKey);
    if (!user?.email) return;
    const token = newToken();
    await this.uow.run(async (tx) => {
      await this.tokens.replace(tx, {
        userId: user.id,
        purpose: 'password-reset',
        tokenHash: hashToken(token),
        emailKey,
        expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS),
      });
      await this.mail.queue(
        tx,
        passwordResetMail({ ...user, email: user.email as string }, this.mail.link(`/reset-password?token=${token}`)),
      );
    });
  }

  /**
   * Uses a reset link: the new password is set and every session of the user ends. A bad, used or expired link is a
   * 400; an invalid password never gets here (the DTO refuses it), so the link stays usable.
   */
  async confirmPasswordReset(input: PasswordResetConfirmDto): Promise<void> {
    const tokenHash = hashToken(input.token);
    const passwordHash = await this.hasher.hash(input.password);
    await this.uow.run(async (tx) => {
      const used = await this.tokens.consume(tx, 'password-reset', tokenHash);
      if (!used) throw new DomainError(ErrorCode.ValidationFailed, BAD_LINK);
      await this.users.setPasswordHash(tx, used.userId, passwordHash);
      await this.endSessions(tx, used.userId, null);
      await this.audit.record(tx, { actorId: used.userId, action: 'account.password-reset', userId: used.userId });
    });
  }

  /**
   * The first step of deleting an account, before its transaction: the password must be the user's (401 when it is
   * wrong, as at sign-in). Answers the hash it matched, which {@link close} checks again under the row's lock.
   */
  async confirmPassword(viewer: Viewer, password: string): Promise<{ userId: string; passwordHash: string }> {
    const userId = requireSignedIn(viewer);
    const user = await this.users.findById(userId);
    if (!user?.passwordHash || !(await this.hasher.verify(user.passwordHash, password)))
      throw new DomainError(ErrorCode.Unauthenticated, 'The password is wrong.');
    return { userId, passwordHash: user.passwordHash };
  }

  /**
   * Empties the account in the caller's transaction: every session ends (their sockets close), open links stop
   * working, the row keeps only its username, and the log records it. A password changed since
   * {@link confirmPassword} is a 401: the user proved the old one. The last admin cannot leave (409).
   */
  async close(tx: Tx, confirmed: { userId: string; passwordHash: string }): Promise<void> {
    const user = await this.users.findForUpdate(tx, confirmed.userId);
    if (!user || user.deletedAt || user.passwordHash !== confirmed.passwordHash)
      throw new DomainError(ErrorCode.Unauthenticated, 'The password is wrong.');
    // As an admin cannot demote themselves: the forum never loses its last admin by one person's mistake.
    if (user.role === 'admin' && !(await this.users.otherAdminRemains(tx, user.id)))
      throw new DomainError(ErrorCode.Conflict, 'You are the last admin: make someone else admin first.');
    await this.endSessions(tx, user.id, null);
    await this.tokens.deleteForUser(tx, user.id, 'verify-email');
    await this.tokens.deleteForUser(tx, user.id, 'password-reset');
    await this.users.markDeleted(tx, user.id);
    await this.audit.record(tx, { actorId: user.id, action: 'account.delete', userId: user.id });
  }

  /** One-click unsubscribe: notification mail stops (`off`). False for a token that names nobody. */
  async unsubscribe(token: string): Promise<boolean> {
    const userId = await this.unsubscribeLinks.userOf(token);
    if (!userId) return false;
    await this.uow.run((tx) => this.users.setEmailNotifications(tx, userId, 'off'));
    return true;
  }

  /** Whether a one-click unsubscribe token names someone (the page with the button shows only then). */
  async isUnsubscribeToken(token: string): Promise<boolean> {
    return (await this.unsubscribeLinks.userOf(token)) !== null;
  }

  private async endSessions(tx: Tx, userId: string, keepTokenHash: string | null): Promise<void> {
    for (const sessionId of await this.sessions.deleteForUser(tx, userId, keepTokenHash))
      this.bus.record(tx, { type: 'session.ended', payload: { sessionId } });
  }
}
