import { type NotificationDto } from './dto/notification.dto.js';

/** What the notifications domain records (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface DomainEvents {
    'notification.created': NotificationCreated;
  }
}

/** A notification reached a user's inbox: their own connections hear of it. */
export interface NotificationCreated {
  recipientId: string;
  /** As the recipient sees it. */
  notification: NotificationDto;
  /** The recipient's unread notifications, this one included. */
  unreadCount: number;
}
