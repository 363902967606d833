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
 * Brotli's quality for answers made per request: 4 compresses a thread page about as well as gzip's default level for
 * a third of its CPU (measured on a 480 KB page: 0.7 ms against 1.1 ms); the higher qualities cost several times more
 * for a few per cent. Static assets are compressed once at build time, at the highest quality (client/scripts).
 */
export const BROTLI_QUALITY = 4;
const GZIP_LEVEL = 6;

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

/** The bytes in that coding, compressed on libuv's thread pool (the event loop goes on meanwhile). */
export function encode(body: Buffer, coding: ContentCoding): Promise<Buffer> {
  return coding === 'br'
    ? brotli(body, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzip(body, { level: GZIP_LEVEL });
}
