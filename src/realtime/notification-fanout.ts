import { Injectable, Logger } from '@nestjs/common';
import { type Server } from 'socket.io';
import { OnDomainEvent } from '../events/on-event.decorator.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { type NotificationsCreated } from '../notifications/notification.events.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { type PrivateEventPayloads } from './event-map.js';
import { userRoom } from './rooms.js';

/** The server-side event that hands a fan-out's ids to the other processes. */
const CREATED = 'notifications.created';

/**
 * The live `notification` event. One fan-out (a comment's thousand followers, say) is one small message between
 * processes (its ids and recipients, through the adapter's server-side events), not one emit per recipient; each
 * process then builds, in a few queries, what its own connected recipients are shown, and only for them. A fan-out
 * none of whose recipients is connected to a process costs that process a look at its rooms.
 */
@Injectable()
export class NotificationFanout {
  private readonly logger = new Logger('NotificationFanout');
  private server?: Server;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
  ) {}

  attach(server: Server): void {
    this.server = server;
    server.on(CREATED, (created: unknown) => {
      if (isCreated(created)) void this.deliverHere(created);
    });
  }

  @OnDomainEvent('notifications.created')
  async created(created: NotificationsCreated): Promise<void> {
    this.server?.serverSideEmit(CREATED, created);
    await this.deliverHere(created);
  }

  /** To this process's connections of the recipients. */
  private async deliverHere({ notificationIds, recipientIds }: NotificationsCreated): Promise<void> {
    const server = this.server;
    if (!server) return;
    const rooms = server.of('/').adapter.rooms;
    const here = notificationIds.filter((_id, index) => (rooms.get(userRoom(recipientIds[index]))?.size ?? 0) > 0);
    if (here.length === 0) return;
    try {
      for (const { recipientId, notification, unreadCount } of await this.notifications.deliveries(here)) {
        const payload: PrivateEventPayloads['notification'] & { seq: null; articleId: null; at: string } = {
          seq: null,
          articleId: null,
          at: new Date().toISOString(),
          notification,
          unreadCount,
        };
        server.local.to(userRoom(recipientId)).emit('notification', payload);
        this.metrics.liveEventEmitted('notification');
      }
    } catch (error) {
      // The inbox holds them: a page that missed the event sees them at its next load of the count.
      this.logger.warn(`live notifications not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function isCreated(value: unknown): value is NotificationsCreated {
  const created = value as Partial<NotificationsCreated> | null;
  return (
    Array.isArray(created?.notificationIds) &&
    Array.isArray(created?.recipientIds) &&
    created.notificationIds.length === created.recipientIds.length
  );
}
