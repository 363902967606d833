import { type NextFunction, type Request, type Response } from 'express';
import { COMPRESSION_THRESHOLD, encode, preferredCoding } from './content-coding.js';

/** Answers worth compressing: JSON (the API), and the text of the client's pages, the feeds and the crawler files. */
const COMPRESSIBLE =
  /^(application\/(json|xml|javascript|[a-z0-9.-]+\+(json|xml))|text\/[a-z-]+|image\/svg\+xml)\s*(;|$)/i;

/**
 * Compresses every answer sent whole through `res.send` (Nest's JSON answers, the client's pages, the sitemap) in the
 * coding the client prefers, Brotli or gzip, once it is at least COMPRESSION_THRESHOLD bytes; smaller ones, answers
 * already in a coding (the answer cache's, the precompressed assets), HEAD answers and bodiless statuses go out as
 * they are. Files sent with `sendFile` stream past it, and Socket.IO answers its own path before Express sees it:
 * live frames are never touched here. An answer that could have been compressed says `Vary: Accept-Encoding`, so
 * that a shared cache keeps one copy per coding.
 */
export function compressAnswers() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : null;
      if (!bytes || bytes.length < COMPRESSION_THRESHOLD || !compressible(req, res)) return send(body);
      res.vary('Accept-Encoding');
      const coding = preferredCoding(req.headers['accept-encoding']);
      if (!coding) return send(body);
      encode(bytes, coding, 'made').then(
        (encoded) => {
          res.setHeader('Content-Encoding', coding);
          send(encoded);
        },
        // zlib does not fail on bytes in memory; should it ever, the answer still goes out, as it is.
        () => send(body),
      );
      return res;
    };
    next();
  };
}

function compressible(req: Request, res: Response): boolean {
  if (req.method === 'HEAD' || res.statusCode < 200 || res.statusCode === 204 || res.statusCode === 304) return false;
  if (res.getHeader('Content-Encoding') !== undefined) return false;
  if (/\bno-transform\b/i.test(String(res.getHeader('Cache-Control') ?? ''))) return false;
  return COMPRESSIBLE.test(String(res.getHeader('Content-Type') ?? ''));
}
