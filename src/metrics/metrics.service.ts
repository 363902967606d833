import { type IncomingMessage, type ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DatabasePoolUse } from '../database/pool-use.js';

/** Label of a request no API route answered: the web client's pages and assets, unknown paths, early refusals. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The events the live side sends (docs/live-protocol.md; a spec checks the list against src/realtime/event-map.ts). */
export const LIVE_EVENT_TYPES = [
  'comment.created',
  'comment.updated',
  'comment.deleted',
  'comment.removed',
  'comment.restored',
  'comment.voted',
  'comment.featured',
  'article.updated',
  'article.revised',
  'reply.received',
  'moderation.queued',
  'moderation.withdrawn',
  'moderation.counts',
  'user.banned',
  'user.unbanned',
  'notification',
  'presence',
  'server.closing',
  'server.reconnected',
] as const;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The process's metrics, in a registry of its own (not prom-client's global one: several apps run in one test
 * process, and each counts only its own). Labels take only bounded values: a route's template, never its ids; a
 * method, an event name or `other`.
 *
 * The live side reports through the `live*` methods; the HTTP middleware (`observeHttp`) is mounted first of all.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template (`unmatched`: no API route) and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  /** Without the status: a histogram's buckets times every status would multiply the series for little insight. */
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request to the end of its answer, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly liveConnections = new Gauge({
    name: 'forum_live_connections',
    help: 'Live (Socket.IO) connections open to this process',
    registers: [this.registry],
  });

  private readonly liveEvents = new Counter({
    name: 'forum_live_events_total',
    help: 'Live events this process emitted to its own connections (once per emit to a room or a user), by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  private readonly liveEventLag = new Histogram({
    name: 'forum_live_event_lag_seconds',
    help: "From an article event's time (written in its transaction, just before commit) to its emit by this process",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly liveJoinFailures = new Counter({
    name: 'forum_live_join_failures_total',
    help: 'Live joins this process refused or could not answer',
    registers: [this.registry],
  });

  private readonly liveRejoins = new Counter({
    name: 'forum_live_rejoins_total',
    help: 'Live joins with `since` (a follower catching up after a gap or a reconnection)',
    registers: [this.registry],
  });

  private readonly liveGapFills = new Counter({
    name: 'forum_live_gap_fills_total',
    help: 'Gaps in an article event sequence this process filled from the event log',
    registers: [this.registry],
  });

  private readonly commentsCreated = new Counter({
    name: 'forum_comments_created_total',
    help: 'New comments, by outcome: `published` (readers see it at once) or `held` (it waits for a moderator)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(pool: DatabasePoolUse) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'forum_mail_queue_depth',
      help: 'Mails waiting to be sent; always 0: this version sends no mail (the queue comes with e-mail notifications)',
      registers: [this.registry],
    }).set(0);
    const poolGauge = (
      name: string,
      help: string,
      read: (use: NonNullable<ReturnType<DatabasePoolUse['read']>>) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const use = pool.read();
          if (use) this.set(read(use));
        },
      });
    poolGauge('forum_db_pool_connections', "Connections in the app's database pool", (use) => use.total);
    poolGauge('forum_db_pool_idle_connections', "Idle connections in the app's database pool", (use) => use.idle);
    poolGauge('forum_db_pool_waiting_queries', 'Queries waiting for a connection of the pool', (use) => use.waiting);
    for (const outcome of ['published', 'held']) this.commentsCreated.inc({ outcome }, 0);
  }

  /** The text Prometheus reads, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Express middleware: counts and times every answer by the route's template (`req.route`, known once a route
   * matched; the prefix `/api` included), never by the path itself.
   */
  observeHttp() {
    return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      const started = process.hrtime.bigint();
      let done = false;
      const record = () => {
        if (done) return;
        done = true;
        const labels = { method: methodLabel(req.method), route: routeLabel(req) };
        this.httpRequests.inc({ ...labels, status: String(res.statusCode) });
        this.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      };
      res.once('finish', record);
      res.once('close', record);
      next();
    };
  }

  commentCreated(outcome: 'published' | 'held'): void {
    this.commentsCreated.inc({ outcome });
  }

  /** Call when a live connection is accepted (after the handshake's checks). */
  liveConnectionOpened(): void {
    this.liveConnections.inc();
  }

  /** Call when an accepted live connection ends, whatever ended it. */
  liveConnectionClosed(): void {
    this.liveConnections.dec();
  }

  /**
   * Call once per event emitted to this process's connections (a room, a user's connections, the moderators').
   * `loggedAt`, an article event's `at`: its lag is observed too.
   */
  liveEventEmitted(type: string, loggedAt?: string | Date): void {
    this.liveEvents.inc({ type: (LIVE_EVENT_TYPES as readonly string[]).includes(type) ? type : 'other' });
    if (loggedAt === undefined) return;
    const lag = (Date.now() - new Date(loggedAt).getTime()) / 1000;
    if (Number.isFinite(lag)) this.liveEventLag.observe(Math.max(0, lag));
  }

  /** Call when a join is answered `{ ok: false }` or not at all. */
  liveJoinFailed(): void {
    this.liveJoinFailures.inc();
  }

  /** Call for each join that carries `since`. */
  liveRejoined(): void {
    this.liveRejoins.inc();
  }

  /** Call when this process filled a gap it saw from article_events. */
  liveGapFilled(): void {
    this.liveGapFills.inc();
  }
}

function methodLabel(method: string | undefined): string {
  return method && HTTP_METHODS.has(method) ? method : 'OTHER';
}

/**
 * The template of the route that answered (Express keeps the last route matched on `req.route`). Nest answers an
 * unknown path under /api with a catch-all route (`*path`): no API route has a wildcard, so one means unmatched.
 */
function routeLabel(req: IncomingMessage): string {
  const matched = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  const path = matched.route?.path;
  if (typeof path !== 'string' || path.includes('*')) return UNMATCHED_ROUTE;
  return `${matched.baseUrl ?? ''}${path}`;
}
