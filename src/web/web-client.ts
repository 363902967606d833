import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type INestApplication } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

/** Where `npm run build` puts the web client (client/dist at the project's root, beside dist/). */
export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../../../client/dist', import.meta.url));

/** The client's pages: each answers index.html, and the client shows the view. */
const PAGES = [
  /^\/$/,
  /^\/articles\/[^/]+\/?$/,
  /^\/articles\/[^/]+\/(edit|revisions\/[1-9]\d{0,8})\/?$/,
  /^\/comments\/[^/]+\/?$/,
  /^\/users\/[^/]+\/?$/,
  /^\/(moderation|notifications|account|verify-email|reset-password|search)\/?$/,
];
/** Vite's output: content-hashed names, so they can be kept for a year. */
const ASSET = /^\/assets\/[A-Za-z0-9_.-]+\.(js|css|svg|png|woff2)$/;

/** The pages' own policy: scripts and styles only from this server, data only from this server (API, socket). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function isClientPage(pathname: string): boolean {
  return PAGES.some((page) => page.test(pathname));
}

/**
 * Serves the built web client beside the API: its hashed assets (cached for a year) and index.html (revalidated every
 * time) for each of the client's pages. Nothing under /api or /socket.io is ever answered here (Socket.IO takes its
 * path before Express sees it anyway). When the client is not built the pages answer a plain 503 and the API is
 * unaffected.
 */
export function webClientMiddleware(root = DEFAULT_CLIENT_DIR) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = req.path;
    if (pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/socket.io')) return next();
    if (ASSET.test(pathname)) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.sendFile(pathname.slice(1), { root, dotfiles: 'deny', maxAge: '365d', immutable: true }, (error?: Error) => {
        if (error && !res.headersSent) res.status(404).type('text/plain').send('Not found');
      });
      return;
    }
    if (!isClientPage(pathname)) return next();
    if (!existsSync(path.join(root, 'index.html'))) {
      res.status(503).setHeader('Cache-Control', 'no-store');
      res.type('text/plain').send('The web client is not built: run `npm run build`. The API is under /api.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.sendFile('index.html', { root, dotfiles: 'deny' }, (error?: Error) => {
      if (error && !res.headersSent) res.status(503).type('text/plain').send('The web client could not be read.');
    });
  };
}

/** Wires the client into the Express app, ahead of Nest's routes (which all live under /api). */
export function serveWebClient(app: INestApplication, root?: string): void {
  app.use(webClientMiddleware(root));
}
