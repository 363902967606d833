import { STATUS_CODES, type Server } from 'node:http';
import { type Duplex } from 'node:stream';
import { type ErrorBody } from './error-body.js';
import { ERROR_STATUS, ErrorCode } from './domain-error.js';

const ANSWERS: Partial<Record<string, { code: ErrorCode; message: string }>> = {
  HPE_HEADER_OVERFLOW: { code: ErrorCode.HeadersTooLarge, message: 'The request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: ErrorCode.RequestTimeout, message: 'The request took too long to arrive.' },
};
const MALFORMED = { code: ErrorCode.MalformedRequest, message: 'The HTTP request is malformed.' };

/**
 * Requests that Node's HTTP parser refuses (oversized headers, line breaks in a header, bad framing, a request that
 * never finishes) never reach a route, and Node would answer them with a bare status line. They get the contract's
 * error body here instead, and the connection is closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A peer that went away, or a socket an answer has already started on: nothing sensible can be written.
    if (
      error.code === 'ECONNRESET' ||
      !socket.writable ||
      (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent
    ) {
      socket.destroy();
      return;
    }
    const { code, message } = (error.code === undefined ? undefined : ANSWERS[error.code]) ?? MALFORMED;
    const status = ERROR_STATUS[code];
    const body = JSON.stringify({ statusCode: status, error: code, message } satisfies ErrorBody);
    socket.end(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
