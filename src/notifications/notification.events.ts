import { type NotificationDto } from './dto/notification.dto.js';

/** What the notifications domain records (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface DomainEvents {
    'notifications.created': NotificationsCreated;
  }
}

/**
 * Notifications reached users' inboxes (one fan-out: a comment's readers, a decision's author). Only ids: a thousand
 * followers make one small event, and the live side builds what a recipient is shown only for those connected
 * ({@link NotificationDelivery}).
 */
export interface NotificationsCreated {
  notificationIds: string[];
  /** The recipient of each, in the same order. */
  recipientIds: string[];
}

/** One notification as its recipient's connections get it. */
export interface NotificationDelivery {
  recipientId: string;
  /** As the recipient sees it. */
  notification: NotificationDto;
  /** The recipient's unread notifications, this one included. */
  unreadCount: number;
}
