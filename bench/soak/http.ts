import http from 'node:http';
import { type Kind, KINDS, now } from './settings.js';

/** HTTP: one request, never throws; status 0 when no answer came. */

export interface Answer {
  status: number;
  /** Parsed JSON (the text when it is not JSON; null when empty). */
  body: unknown;
  ms: number;
}

export function request(
  agent: http.Agent,
  url: string,
  method: string,
  options: { body?: object; token?: string; idempotencyKey?: string } = {},
): Promise<Answer> {
  const started = now();
  const data = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: http.OutgoingHttpHeaders = {};
  if (data !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(data);
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  return new Promise((resolve) => {
    const req = http.request(url, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', () => resolve({ status: 0, body: null, ms: now() - started }));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: kept as text for the error message
        }
        resolve({ status: response.statusCode ?? 0, body, ms: now() - started });
      });
    });
    req.on('error', () => resolve({ status: 0, body: null, ms: now() - started }));
    req.end(data);
  });
}

/** Setup requests must succeed; anything else stops the soak before it starts. */
export async function expectStatus(
  answer: Promise<Answer>,
  expected: number,
  what: string,
): Promise<Record<string, unknown>> {
  const { status, body } = await answer;
  if (status !== expected) throw new Error(`${what} answered ${status}: ${JSON.stringify(body).slice(0, 300)}`);
  return body as Record<string, unknown>;
}

/** Every write's answer: expected or not, 5xx, no answer at all, and how long it took. */
export class HttpStats {
  readonly kinds = new Map<Kind, { sent: number; ok: number; latencies: number[] }>(
    KINDS.map((k) => [k, { sent: 0, ok: 0, latencies: [] }]),
  );
  /** Unexpected statuses, by status (0: no answer), with the first message of each. */
  readonly unexpected = new Map<number, { count: number; example: string }>();

  record(kind: Kind, answer: Answer, expected: number): boolean {
    const entry = this.kinds.get(kind) as { sent: number; ok: number; latencies: number[] };
    entry.sent += 1;
    entry.latencies.push(answer.ms);
    if (answer.status === expected) {
      entry.ok += 1;
      return true;
    }
    const seen = this.unexpected.get(answer.status) ?? {
      count: 0,
      example: `${kind}: ${JSON.stringify(answer.body)?.slice(0, 200)}`,
    };
    seen.count += 1;
    this.unexpected.set(answer.status, seen);
    return false;
  }

  count(filter: (status: number) => boolean): number {
    return [...this.unexpected].reduce((sum, [status, e]) => sum + (filter(status) ? e.count : 0), 0);
  }
}
