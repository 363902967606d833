import { type UserRole } from '../users/user.entity.js';

/** What happens to sessions and roles (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface DomainEvents {
    /** A session was logged out: whatever was opened with it must close. */
    'session.ended': { sessionId: string };
    /** An admin changed a user's role. */
    'user.role-changed': { userId: string; role: UserRole; banInForce: boolean };
  }
}

export {};
