import { type Server } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** How long app.close() waits for open HTTP connections (a long-poll, a slow client) before it closes them. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Bounds a shutdown. Closing the HTTP server waits for every open connection to end; a Socket.IO long-polling request
 * or a client that keeps a request open would hold the stop for as long as it likes. After the grace period, the
 * connections still open are closed. Requests that finish within it are answered as usual.
 */
@Injectable()
export class HttpShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly host: HttpAdapterHost) {}

  beforeApplicationShutdown(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }
}
