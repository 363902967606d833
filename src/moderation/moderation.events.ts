import { type UserRole } from '../users/user.entity.js';

/** What moderation does to users (see src/events/domain-events.ts); its comment decisions are comment events. */
declare module '../events/domain-events.js' {
  interface DomainEvents {
    /** A moderator banned a user (until: ISO-8601, or null for a ban without end). */
    'user.banned': { userId: string; until: string | null; reason: string };
    /** A ban ended: lifted by a moderator, or over by itself. */
    'user.unbanned': { userId: string; role: UserRole };
  }
}

export {};
