import { type Server } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';

/**
 * Bounds a shutdown. Closing the HTTP server waits for every open connection to end; a Socket.IO long-polling request
 * or a client that keeps a request open would hold the stop for as long as it likes. After the grace period (AppConfig.shutdownGraceMs), the
 * connections still open are closed. Requests that finish within it are answered as usual.
 */
@Injectable()
export class HttpShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  beforeApplicationShutdown(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.timer = setTimeout(() => server.closeAllConnections(), this.config.shutdownGraceMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }
}
