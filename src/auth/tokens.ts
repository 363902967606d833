import { createHash, randomBytes } from 'node:crypto';

/** A new opaque token (32 random bytes, base64url): sessions and mailed links. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256 in hex (the token is random and long, so no slow hash is needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The shape of a token the server issued (a session or a mailed link); anything else is refused unread. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;
