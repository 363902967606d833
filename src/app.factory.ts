import { isUtf8 } from 'node:buffer';
import { type IncomingMessage } from 'node:http';
import { type INestApplication, type LogLevel as NestLogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { type Logger } from 'pino';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { essayUploadGate, isAdmittedEssayUpload, isJson } from './articles/essay-upload-gate.js';
import { AuthService } from './auth/auth.service.js';
import { type AppConfig, LOG_LEVELS } from './config/app-config.js';
import { HEALTH_PATHS } from './health/health.controller.js';
import { FEED_PATHS } from './feeds/feeds.controller.js';
import { createLogger, httpLogging } from './common/logging/logger.js';
import { assignRequestId } from './common/logging/request-id.js';
import { METRICS_PATH } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { answerClientErrors } from './common/errors/client-errors.js';
import { compressAnswers } from './common/http/compress-answers.js';
import { jsonGuard } from './common/json-guard.js';
import { setUpOpenApi } from './openapi/openapi.js';
import { ForumIoAdapter } from './realtime/forum-io.adapter.js';
import { LiveFanoutStatus } from './common/live-fanout-status.js';
import { serveWebClient } from './web/web-client.js';

/** The largest JSON body the API reads (a 10,000-character comment in 4-byte characters fits). */
export const MAX_JSON_BODY = '64kb';
/** The largest body of POST /api/articles: an essay of 500,000 characters fits, even in 3-byte (CJK) characters. */
export const MAX_ESSAY_JSON_BODY = '2mb';

/**
 * Builds the Nest application with everything global: used by main.ts, the tests and the tools alike. `logger`: the
 * process's pino logger when the caller made one already (main.ts logs the database's start through it).
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: { preview?: boolean; webClientDir?: string; logger?: Logger } = {},
): Promise<INestApplication> {
  const preview = options.preview ?? false;
  const logger = options.logger ?? createLogger(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, databaseUrl, logger }), {
    logger: nestLogLevels(config),
    // Nest's own start-up lines wait for the pino logger below instead of going to the console.
    bufferLogs: !preview,
    bodyParser: false,
    // Preview: modules and routes without instances (no database): enough to describe the API.
    preview,
  });
  const server = app.getHttpServer();
  // Idle keep-alive connections outlive a load balancer's own idle timeout, so the balancer closes them first and
  // never sends a request on a connection the app is closing (with Node's 5 s default, such requests failed with
  // ECONNRESET). Node wants headersTimeout above keepAliveTimeout.
  server.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
  server.headersTimeout = config.httpKeepAliveTimeoutMs + 1000;
  answerClientErrors(server);
  if (!preview) {
    app.useLogger(app.get(PinoNestLogger));
    // First of all, so that every answer (a refused body, a client page, a 404) carries its id, is logged and counted.
    app.use(assignRequestId);
    app.use(httpLogging(logger));
    app.use(app.get(MetricsService).observeHttp());
  }
  // Before everything that answers (the web client's pages, the API): each answer sent whole is compressed when worth it.
  app.use(compressAnswers());
  app.use(cookieParser());
  // Publishing an essay (admins only) reads a larger body, but only once the gate has found an admin behind the
  // request's credentials (one session look-up; anyone else gets 401/403 with the body unread). The essay parser comes
  // first, and the next one skips a body already read. Nest's typing reserves `verify` for its rawBody option (off
  // here); the options reach express.json() as they are.
  app.use(essayUploadGate(() => app.get(AuthService)));
  const essayOptions = {
    limit: MAX_ESSAY_JSON_BODY,
    strict: true,
    type: (req: IncomingMessage) => isAdmittedEssayUpload(req) && isJson(req),
    verify: refuseBadUtf8,
  };
  app.useBodyParser('json', essayOptions);
  const jsonOptions = { limit: MAX_JSON_BODY, strict: true, verify: refuseBadUtf8 };
  app.useBodyParser('json', jsonOptions);
  app.use(jsonGuard);
  app.disable('x-powered-by');
  // Security headers on every answer. The client's pages carry their own Content-Security-Policy (src/web); the API
  // answers JSON, and /api/docs (Swagger UI) needs its inline bootstrap, so no global CSP here.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  // Hashing each (large) answer for an ETag is wasted work: the reads worth revalidating (an essay, its thread) make
  // theirs from what they are current to, without reading the answer (src/articles/reader-cache.ts).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // The web client's pages and assets; never a path under /api or /socket.io.
  serveWebClient(app, options.webClientDir);
  app.set('query parser', 'simple');
  // Probes, metrics and feeds answer at the root, where orchestrators and scrapers look for them (CONTRACT.md, Operation).
  app.setGlobalPrefix('api', { exclude: [...HEALTH_PATHS, METRICS_PATH, ...FEED_PATHS] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new AllExceptionsFilter());
  setUpOpenApi(app);
  if (!options.preview) {
    const io = new ForumIoAdapter(app, { databaseUrl, redisUrl: config.redisUrl, status: app.get(LiveFanoutStatus) });
    await io.connect();
    app.useWebSocketAdapter(io);
  }
  return app;
}

/**
 * Bytes that are not UTF-8 would be decoded to U+FFFD, silently changing what the author wrote: refused (400) before
 * parsing. body-parser reports what this throws as `entity.verify.failed`.
 */
function refuseBadUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body))
    throw Object.assign(new Error('The request body is not valid UTF-8.'), {
      status: 400,
      type: 'entity.verify.failed',
    });
}

export function nestLogLevels(config: AppConfig): NestLogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1);
}
