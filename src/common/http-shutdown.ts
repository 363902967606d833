import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type BeforeApplicationShutdown, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';

/** How often a stopping server closes the keep-alive connections that have no request in progress. */
const IDLE_SWEEP_MS = 100;

/**
 * Bounds a shutdown. Closing the HTTP server waits for every open connection to end; a Socket.IO long-polling request
 * or a client that keeps a request open would hold the stop for as long as it likes. After the grace period (AppConfig.shutdownGraceMs), the
 * connections still open are closed. Requests that finish within it are answered as usual.
 *
 * A keep-alive connection whose request is answered during the stop is not held open either: answers from then on
 * say `Connection: close`, and connections with no request in progress are closed as soon as they have none. Node
 * closes only the connections idle at the moment the server closes, so one whose request was being answered then (a
 * load balancer sends requests to a node until its health check sees it stopping) stayed open, idle, and held every
 * such stop for the whole grace period.
 */
@Injectable()
export class HttpShutdown implements BeforeApplicationShutdown, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private idleSweep?: NodeJS.Timeout;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  beforeApplicationShutdown(): void {
    const server = this.host.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    // First of the request listeners, so that the header is set before any handler can answer.
    server.prependListener('request', answerWithConnectionClose);
    this.idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    this.idleSweep.unref();
    this.timer = setTimeout(() => server.closeAllConnections(), this.config.shutdownGraceMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    clearInterval(this.idleSweep);
  }
}

function answerWithConnectionClose(_request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Connection', 'close');
}
