import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type LoggerService } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger, type Params } from 'nestjs-pino';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';
import { type AppConfig, type LogLevel } from '../../config/app-config.js';

/** LOG_LEVEL speaks Nest's names; pino has its own. */
const PINO_LEVELS: Record<LogLevel, Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** pino's levels as Nest's console logger names them, for the text format. */
const TEXT_LEVELS: Record<number, string> = {
  10: 'VERBOSE',
  20: 'DEBUG',
  30: 'LOG',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/**
 * Never in a log line, whatever a caller passes: credentials and secrets. The request serializer below already keeps
 * no header at all; this is the second lock, for objects handed to a log call.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'password',
  'token',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.sessionToken',
];

/**
 * The process's one pino logger: JSON lines (LOG_FORMAT=json), or the same records written as readable lines (text).
 * As with Nest's console logger before it, errors go to stderr and everything else to stdout; through
 * process.stdout/stderr, whose writes to files and pipes are synchronous, so the last lines before an exit are kept.
 */
export function createLogger(config: AppConfig): Logger {
  const format = config.logFormat === 'json' ? (line: string) => line : textLine;
  const to = (stream: NodeJS.WriteStream): DestinationStream => ({
    write: (line: string) => stream.write(format(line)),
  });
  const destination = pino.multistream(
    [
      { level: 'trace', stream: to(process.stdout) },
      { level: 'error', stream: to(process.stderr) },
    ],
    // Each record to one stream only: the one with the highest level it reaches.
    { dedupe: true },
  );
  return pino(
    {
      level: PINO_LEVELS[config.logLevel],
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}

/** Nest's logger interface over pino, for the lines written before the app exists (the database's start). */
export function nestLoggerOver(logger: Logger): LoggerService {
  const params = nestPinoParams(logger);
  return new PinoNestLogger(new PinoLogger(params), params);
}

/**
 * nestjs-pino's settings: the app's own logger, and `useExisting` because the request-logging middleware is ours
 * (httpLogging, mounted before every other middleware so that even a request the body parser refuses is logged with
 * its id); nestjs-pino only binds each request's logger for the log lines made while answering it.
 */
export function nestPinoParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true };
}

/** One line per answered request (method, path without its query, status, time), at `error` for a 5xx. */
export function httpLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'reqId' },
    // Only what an operator needs: no header (credentials, cookies) and no query string (tokens in links).
    serializers: {
      req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        path: pathOf(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
      error || res.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: (req: IncomingMessage, res: ServerResponse, time: number) =>
      `${req.method} ${pathOf(req.url)} ${res.statusCode} in ${time} ms`,
    customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
      `${req.method} ${pathOf(req.url)} failed with ${res.statusCode}`,
    // pino-http makes up an Error ("failed with status code 500") for a 5xx; the real one, with its stack, is logged
    // by the exception filter where it happened.
    customErrorObject: (
      _req: IncomingMessage,
      _res: ServerResponse,
      _error: Error,
      value: Record<string, unknown>,
    ) => ({
      res: value.res,
      responseTime: value.responseTime,
    }),
  });
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

/** The text format: a pino record as `time LEVEL [context] message (request id)`, like Nest's console logger. */
function textLine(line: string): string {
  const record = JSON.parse(line) as {
    time?: string;
    level: number;
    context?: string;
    msg?: string;
    reqId?: string;
    err?: { stack?: string };
  };
  const context = record.context ? ` [${record.context}]` : '';
  const request = record.reqId ? ` (request ${record.reqId})` : '';
  const error = record.err?.stack ? `\n${record.err.stack}` : '';
  const level = TEXT_LEVELS[record.level] ?? String(record.level);
  return `${record.time ?? ''} ${level}${context} ${record.msg ?? ''}${request}${error}\n`;
}
