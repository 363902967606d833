import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type Response } from 'express';
import { DomainError, ErrorCode } from './domain-error.js';
import { type ErrorBody } from './error-body.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.QuoteNotInSource,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
};

interface BodyParserError {
  type: string;
  status: number;
}

/** The pool could not get a connection, or the server went away: the client should retry, not give up. */
function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|not queryable|ECONNRESET/i.test(
      error.message,
    ) ||
    // TypeORM, when the connection of a transaction died under it.
    error.name === 'QueryRunnerProviderAlreadyReleasedError' ||
    error.name === 'QueryRunnerAlreadyReleasedError' ||
    code === 'ECONNREFUSED' ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '08006' ||
    code === '08003'
  );
}

function bodyParserError(error: unknown): BodyParserError | null {
  const candidate = error as Partial<BodyParserError> | null | undefined;
  return candidate && typeof candidate.type === 'string' && typeof candidate.status === 'number'
    ? (candidate as BodyParserError)
    : null;
}

/**
 * The one place that formats errors. Domain errors keep their code; Nest's HTTP exceptions (validation, unknown routes)
 * and body-parser failures become 4xx bodies; anything else is logged here and answered as a bare 500 with no detail.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const { body, retryAfter } = this.toBody(exception);
    if (response.headersSent) return;
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    // A route that answers another type (a feed) set its Content-Type before it failed; express's json() keeps one
    // already set, and the error would go out labelled as a feed.
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    // Nor may such a route's caching headers keep an error.
    response.removeHeader('Cache-Control');
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): { body: ErrorBody; retryAfter?: number } {
    if (exception instanceof DomainError) {
      return {
        body: { statusCode: exception.status, error: exception.code, message: exception.message },
        retryAfter: exception.retryAfterSeconds,
      };
    }
    // Body-parser failures arrive as they are, or wrapped by the Express adapter in an HttpException's cause.
    const parserError =
      bodyParserError(exception) ?? (exception instanceof HttpException ? bodyParserError(exception.cause) : null);
    if (parserError) return { body: this.fromBodyParser(parserError) };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) {
        const code = CODE_BY_STATUS[status] ?? ErrorCode.ValidationFailed;
        return { body: { statusCode: status, error: code, message: this.messageOf(exception) } };
      }
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error).message}`);
      return {
        body: {
          statusCode: 503,
          error: ErrorCode.ServiceUnavailable,
          message: 'The service is briefly unavailable; try again.',
        },
        retryAfter: 1,
      };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { body: { statusCode: 500, error: ErrorCode.Internal, message: 'Something went wrong on our side.' } };
  }

  private fromBodyParser(error: BodyParserError): ErrorBody {
    switch (error.type) {
      case 'entity.parse.failed':
        return { statusCode: 400, error: ErrorCode.MalformedJson, message: 'The request body is not valid JSON.' };
      case 'entity.verify.failed':
        return { statusCode: 400, error: ErrorCode.MalformedJson, message: 'The request body is not valid UTF-8.' };
      case 'entity.too.large':
        return { statusCode: 413, error: ErrorCode.PayloadTooLarge, message: 'The request body is too large.' };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return { statusCode: 415, error: ErrorCode.UnsupportedMediaType, message: 'Send the body as UTF-8 JSON.' };
      default: {
        const status = error.status >= 400 && error.status < 500 ? error.status : 400;
        return {
          statusCode: status,
          error: CODE_BY_STATUS[status] ?? ErrorCode.ValidationFailed,
          message: 'The request body could not be read.',
        };
      }
    }
  }

  private messageOf(exception: HttpException): string | string[] {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message) && message.every((m) => typeof m === 'string')) return message;
    if (typeof message === 'string') return message;
    return exception.message;
  }
}
