import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** The codings this server answers in, besides the bytes as they are. */
export type ContentCoding = 'br' | 'gzip';

/**
 * Below this an answer goes out as it is: a compressed body that small saves less than a packet, and the CPU it costs
 * is the same per answer whatever its size.
 */
export const COMPRESSION_THRESHOLD = 1024;

/**
 * How hard to compress: `made` for an answer made for one request (compressed once, sent once), `kept` for one the
 * answer cache keeps (compressed once, sent to every reader until the thread changes). Measured on the first page of
 * a 10,000-comment thread (517 KB of JSON; CPU per compression on this machine): Brotli 2 gives 85 KB for 2.4 ms and
 * gzip 3 93 KB for 2.9 ms, where Brotli 4 costs 3.9 ms for 83 KB and gzip 6 6.5 ms for 85 KB; Brotli 5 gives 79 KB
 * for 7 ms, worth it only for a kept answer. Static assets are compressed at build time, at the highest settings
 * (client/scripts/precompress.mjs).
 */
export type Effort = 'made' | 'kept';
const LEVELS: Record<Effort, { brotli: number; gzip: number }> = {
  made: { brotli: 2, gzip: 3 },
  kept: { brotli: 5, gzip: 6 },
};

/** The largest output chunk asked of zlib: an answer's coding is at most a few megabytes. */
const MAX_CHUNK = 1024 * 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The coding to answer in for this Accept-Encoding: Brotli when the client takes it, else gzip, else none (null). A
 * coding listed with `q=0` is refused; `*` stands for every coding not named. Brotli wins a tie: it is smaller.
 */
export function preferredCoding(acceptEncoding: string | string[] | undefined): ContentCoding | null {
  if (!acceptEncoding) return null;
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const any = weights.get('*') ?? 0;
  const br = weights.get('br') ?? any;
  const gz = weights.get('gzip') ?? weights.get('x-gzip') ?? any;
  if (br > 0 && br >= gz) return 'br';
  return gz > 0 ? 'gzip' : null;
}

/**
 * The bytes in that coding, compressed on libuv's thread pool (the event loop goes on meanwhile). zlib hands its output
 * back a chunk at a time, each chunk one more trip to the pool and back (16 KB by default: 6 for a thread page, each
 * waiting for a thread and then for the event loop on a busy machine); a quarter of the input holds a JSON answer's
 * compressed bytes in one or two.
 */
export function encode(body: Buffer, coding: ContentCoding, effort: Effort): Promise<Buffer> {
  const levels = LEVELS[effort];
  const chunkSize = Math.min(MAX_CHUNK, Math.max(zlib.constants.Z_DEFAULT_CHUNK, body.length >> 2));
  return coding === 'br'
    ? brotli(body, {
        chunkSize,
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: levels.brotli,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzip(body, { chunkSize, level: levels.gzip });
}
