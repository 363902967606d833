import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A client's own request id is kept only when it is this plain: nothing that could forge a log line or a header. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request's id: the client's own when it is plain and short enough, a new UUID otherwise. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * First of every middleware: gives the request its id (`req.id`, which the request log and every log line made while
 * answering it carry) and puts it on the answer, errors included, so a client can quote it and an operator find it.
 */
export function assignRequestId(req: IncomingMessage & { id?: string }, res: ServerResponse, next: () => void): void {
  req.id = requestIdFor(req.headers['x-request-id']);
  res.setHeader(REQUEST_ID_HEADER, req.id);
  next();
}
