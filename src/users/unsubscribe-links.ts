import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { SecretsRepository } from '../common/secrets.repository.js';
import { UsersRepository } from './users.repository.js';

const SECRET_NAME = 'unsubscribe-links';

/**
 * One-click unsubscribe links for notification mail (RFC 8058): the token is the user's id and an HMAC, with the
 * installation's own secret, over that id and the address mailed to. Nothing is stored; a link stops working when the
 * address changes (it was for that address), and nobody can forge one for another user.
 */
@Injectable()
export class UnsubscribeLinks {
  private secret?: Promise<Buffer>;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsRepository,
    private readonly users: UsersRepository,
  ) {}

  /** `PUBLIC_URL/api/unsubscribe?token=…` for a user and the address (lower-cased) the mail goes to. */
  async url(user: { id: string; emailKey: string }): Promise<string> {
    return `${this.config.publicUrl}/api/unsubscribe?token=${await this.token(user)}`;
  }

  /** The headers of every notification mail: mail clients show an "Unsubscribe" that POSTs to the link. */
  async headers(user: { id: string; emailKey: string }): Promise<Record<string, string>> {
    return {
      'List-Unsubscribe': `<${await this.url(user)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  }

  /** The user a token names, when it is genuine and for their current address; null otherwise. */
  async userOf(token: string): Promise<string | null> {
    const match = /^(\d{1,19})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const user = await this.users.findById(match[1]);
    if (!user?.emailKey) return null;
    const expected = Buffer.from(await this.mac(user.id, user.emailKey));
    const given = Buffer.from(match[2]);
    return expected.length === given.length && timingSafeEqual(expected, given) ? user.id : null;
  }

  private async token(user: { id: string; emailKey: string }): Promise<string> {
    return `${user.id}.${await this.mac(user.id, user.emailKey)}`;
  }

  private async mac(userId: string, emailKey: string): Promise<string> {
    // Read once per process; a failed read is tried again next time.
    this.secret ??= this.secrets.getOrCreate(SECRET_NAME).catch((error: unknown) => {
      this.secret = undefined;
      throw error;
    });
    return createHmac('sha256', await this.secret)
      .update(`${userId}\n${emailKey}`)
      .digest('base64url');
  }
}
