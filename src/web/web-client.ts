import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type INestApplication } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { ArticlesService } from '../articles/articles.service.js';
import { ReaderViews } from '../comments/reader-views.js';
import { type ContentCoding, preferredCoding } from '../common/http/content-coding.js';
import { AppConfig } from '../config/app-config.js';
import { escapeHtml } from '../common/markdown/markdown.js';
import { robotsTxt, sitemapXml } from './crawler-files.js';
import { type PageContent, PublicPages } from './public-pages.js';

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
/** The pages whose html carries their content (the essay, the comment); `new` is the publish screen, not an essay. */
const ARTICLE_PAGE = /^\/articles\/(?!new\/?$)([^/]+)\/?$/;
const COMMENT_PAGE = /^\/comments\/([^/]+)\/?$/;
/** Vite's output: content-hashed names, so they can be kept for a year. */
const ASSET = /^\/assets\/[A-Za-z0-9_.-]+\.(js|css|svg|png|woff2)$/;

/** The assets the build leaves a Brotli and a gzip copy of (client/scripts/precompress.mjs): text, not images. */
const PRECOMPRESSED = /\.(js|css|svg)$/;
const COPY_EXTENSION = { br: '.br', gzip: '.gz' } as const;

/**
 * The pages' own policy: scripts and styles only from this server, data only from this server (API, socket), framed
 * by `frameAncestors` (nobody, but for the embedded discussion).
 */
function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/**
 * The embedded discussion, the one page (all of /embed/) a publisher's site may frame (EMBED_ORIGINS), and the forum's
 * sign-in page that it opens as a popup: a first-party window, never framed, that keeps `window.opener` (see
 * embedHeaders).
 */
const EMBED_THREAD = /^\/embed\/articles\/[^/]+\/?$/;
const EMBED_SIGN_IN = /^\/sign-in\/?$/;
/** The script a publisher's page loads; its name is fixed (publishers' pages name it), so it is kept only briefly. */
const EMBED_SCRIPT = '/embed.js';

export function isClientPage(pathname: string): boolean {
  return PAGES.some((page) => page.test(pathname)) || EMBED_THREAD.test(pathname) || EMBED_SIGN_IN.test(pathname);
}

/** What the essay and comment pages, robots.txt and the sitemap are made from. */
export interface PageSources {
  pages: PublicPages;
  articles: ArticlesService;
  publicUrl: string;
}

/**
 * Serves the built web client beside the API: its hashed assets (cached for a year) and index.html (revalidated every
 * time) for each of the client's pages, the essay and comment pages with their content in it (PublicPages), and the
 * crawlers' robots.txt and sitemap. Nothing under /api or /socket.io is ever answered here (Socket.IO takes its path
 * before Express sees it anyway). When the client is not built the pages answer a plain 503 and the API is
 * unaffected.
 */
export function webClientMiddleware(
  root = DEFAULT_CLIENT_DIR,
  sources?: PageSources,
  embedOrigins: readonly string[] = [],
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = req.path;
    if (pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/socket.io')) return next();
    if (sources && pathname === '/robots.txt') {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.type('text/plain').send(robotsTxt(sources.publicUrl));
      return;
    }
    if (sources && pathname === '/sitemap.xml') {
      sitemapXml(sources.articles, sources.publicUrl).then(
        (xml) => {
          res.setHeader('Cache-Control', 'public, max-age=300');
          res.type('application/xml').send(xml);
        },
        () => res.status(503).type('text/plain').send('The sitemap could not be read; try again later.'),
      );
      return;
    }
    if (pathname === EMBED_SCRIPT) {
      // Loaded by other sites' pages: helmet's same-origin resource policy would make the browser refuse it there.
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.sendFile(pathname.slice(1), { root, dotfiles: 'deny', maxAge: '5m' }, (error?: Error) => {
        if (error && !res.headersSent) res.status(404).type('text/plain').send('Not found');
      });
      return;
    }
    if (ASSET.test(pathname)) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      const text = PRECOMPRESSED.test(pathname);
      if (text) res.vary('Accept-Encoding');
      sendAsset(res, root, pathname.slice(1), text ? preferredCoding(req.headers['accept-encoding']) : null);
      return;
    }
    if (!isClientPage(pathname)) return next();
    if (!existsSync(path.join(root, 'index.html'))) {
      res.status(503).setHeader('Cache-Control', 'no-store');
      res.type('text/plain').send('The web client is not built: run `npm run build`. The API is under /api.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    if (EMBED_THREAD.test(pathname) || EMBED_SIGN_IN.test(pathname)) {
      embedHeaders(res, EMBED_THREAD.test(pathname) ? embedOrigins : []);
      void withHead(root, embedHead(embedOrigins), res);
      return;
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicy([]));
    const article = ARTICLE_PAGE.exec(pathname)?.[1];
    const comment = COMMENT_PAGE.exec(pathname)?.[1];
    if (sources && (article !== undefined || comment !== undefined)) {
      void withContent(
        root,
        article !== undefined ? sources.pages.article(article) : sources.pages.comment(comment!),
        res,
      );
      return;
    }
    res.sendFile('index.html', { root, dotfiles: 'deny' }, (error?: Error) => {
      if (error && !res.headersSent) res.status(503).type('text/plain').send('The web client could not be read.');
    });
  };
}

/**
 * An asset, in the coding given when the build left a copy in it (the copy's type is the asset's, its coding said),
 * else as it is: a file too small to be worth compressing has no copy. 404 when there is no such asset.
 */
function sendAsset(res: Response, root: string, file: string, coding: ContentCoding | null): void {
  const options = { root, dotfiles: 'deny' as const, maxAge: '365d', immutable: true };
  if (!coding) {
    res.sendFile(file, options, (error?: Error) => {
      if (error && !res.headersSent) res.status(404).type('text/plain').send('Not found');
    });
    return;
  }
  res.type(path.extname(file));
  res.setHeader('Content-Encoding', coding);
  res.sendFile(`${file}${COPY_EXTENSION[coding]}`, options, (error?: Error) => {
    if (!error || res.headersSent) return;
    res.removeHeader('Content-Encoding');
    res.removeHeader('Content-Type');
    sendAsset(res, root, file, null);
  });
}

/**
 * index.html with the page's head and content in it, read afresh each time (a new build replaces it; nothing is kept).
 * When the content cannot be read (the database is away), the bare shell answers 503: the client says what it can.
 */
async function withContent(root: string, content: Promise<PageContent>, res: Response): Promise<void> {
  let shell: string;
  try {
    shell = await readFile(path.join(root, 'index.html'), 'utf8');
  } catch {
    res.status(503).type('text/plain').send('The web client could not be read.');
    return;
  }
  let page: PageContent;
  try {
    page = await content;
  } catch {
    res.status(503).type('html').send(shell);
    return;
  }
  // Replaced through functions: a `$` in an essay's text must not be read as a replacement pattern.
  const html = shell
    .replace(/<title>[^<]*<\/title>/, () => page.head)
    .replace('<div id="app"></div>', () => `<div id="app">${page.body}</div>`);
  res.status(page.status).type('html').send(html);
}

/**
 * The embedded pages' headers. The thread may be framed by exactly `frameAncestors` (CSP; helmet's X-Frame-Options
 * would refuse them all, and a browser that reads only that header then refuses the frame, which is the safe side).
 * The sign-in popup keeps its opener: helmet's Cross-Origin-Opener-Policy: same-origin would cut a popup opened from a
 * frame on another site off its opener (the opener's top page is of another origin), and the token could not be
 * handed back. Neither page is ever framed by anyone else.
 */
function embedHeaders(res: Response, frameAncestors: readonly string[]): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(frameAncestors));
  if (frameAncestors.length > 0) res.removeHeader('X-Frame-Options');
  res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
}

/** What the embedded pages' head adds: the origins that may frame them, which the frame posts its height to. */
function embedHead(embedOrigins: readonly string[]): string {
  return [
    '<title>Discussion · Essay forum</title>',
    `<meta name="forum-embed-origins" content="${escapeHtml(embedOrigins.join(' '))}" />`,
  ].join('\n    ');
}

/** index.html with its title replaced by `head`, read afresh each time. */
async function withHead(root: string, head: string, res: Response): Promise<void> {
  try {
    const shell = await readFile(path.join(root, 'index.html'), 'utf8');
    res.type('html').send(shell.replace(/<title>[^<]*<\/title>/, () => head));
  } catch {
    res.status(503).type('text/plain').send('The web client could not be read.');
  }
}

/** Wires the client into the Express app, ahead of Nest's routes (which all live under /api). */
export function serveWebClient(app: INestApplication, root?: string): void {
  const articles = app.get(ArticlesService);
  const publicUrl = app.get(AppConfig).publicUrl;
  const pages = new PublicPages(articles, app.get(ReaderViews), publicUrl);
  app.use(webClientMiddleware(root, { pages, articles, publicUrl }, app.get(AppConfig).embedOrigins));
}
