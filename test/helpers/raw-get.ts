import http from 'node:http';
import zlib from 'node:zlib';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they came over the wire (compressed when Content-Encoding says so). */
  wire: Buffer;
  /** The body, decoded from its coding. */
  text: string;
}

/**
 * A GET that keeps the body as it came over the wire, beside its decoded text: supertest and fetch ask for a coding
 * and decode it by themselves, so a test of the codings could not tell what was sent. No Accept-Encoding unless given.
 */
export function rawGet(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const coding = res.headers['content-encoding'];
          const plain =
            coding === 'br' ? zlib.brotliDecompressSync(wire) : coding === 'gzip' ? zlib.gunzipSync(wire) : wire;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, wire, text: plain.toString('utf8') });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The names an answer's Vary lists, lower-cased. */
export function varyOf(answer: RawAnswer): string[] {
  return String(answer.headers.vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
}
