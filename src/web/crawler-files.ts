import { type ArticlesService } from '../articles/articles.service.js';
import { SITEMAP_ENTRIES } from './public-pages.js';

/**
 * robots.txt: crawlers may read every public page (the essays and comments carry their text in their html) and the
 * feeds; the API and the live connection are left out (the pages need neither to be read), as are the pages that are
 * one person's own or a form (account, notifications, moderation, search, editing, the mailed links).
 */
export function robotsTxt(publicUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /api/',
    'Disallow: /socket.io/',
    'Disallow: /account',
    'Disallow: /notifications',
    'Disallow: /moderation',
    'Disallow: /search',
    'Disallow: /verify-email',
    'Disallow: /reset-password',
    'Disallow: /articles/*/edit',
    'Disallow: /articles/new',
    '',
    `Sitemap: ${new URL('/sitemap.xml', publicUrl).toString()}`,
    '',
  ].join('\n');
}

/** The sitemap of the essays' forum pages (the latest SITEMAP_ENTRIES, the most one file may hold), with lastmod. */
export async function sitemapXml(articles: ArticlesService, publicUrl: string): Promise<string> {
  const essays = await articles.sitemapEntries(SITEMAP_ENTRIES);
  const urls = essays.map(
    (essay) =>
      `  <url><loc>${escapeXml(new URL(`/articles/${essay.slug}`, publicUrl).toString())}</loc>` +
      `<lastmod>${essay.modifiedAt.toISOString()}</lastmod></url>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
