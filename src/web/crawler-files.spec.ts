import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type ArticlesService, type SitemapEssay } from '../articles/articles.service.js';
import { robotsTxt, sitemapXml } from './crawler-files.js';
import { SITEMAP_ENTRIES } from './public-pages.js';

/** An articles service that answers the given essays and records how many the sitemap asked for. */
function essays(rows: SitemapEssay[]): { service: ArticlesService; asked: number[] } {
  const asked: number[] = [];
  const service = {
    sitemapEntries: (limit: number) => {
      asked.push(limit);
      return Promise.resolve(rows.slice(0, limit));
    },
  } as unknown as ArticlesService;
  return { service, asked };
}

describe('sitemapXml', () => {
  it('asks for at most the 50,000 entries one sitemap file may hold', async () => {
    const { service, asked } = essays([]);
    const xml = await sitemapXml(service, 'https://forum.example.org');
    assert.deepEqual(asked, [SITEMAP_ENTRIES]);
    assert.equal(SITEMAP_ENTRIES, 50_000);
    assert.equal(XMLValidator.validate(xml), true, 'an empty sitemap is still valid XML');
  });

  it('writes absolute, escaped addresses with lastmod in W3C date-time', async () => {
    const modifiedAt = new Date('2026-01-02T03:04:05.678Z');
    // Real slugs are [a-z0-9-]; the sitemap escapes whatever it writes all the same.
    const { service } = essays([{ slug: "it's-a&b", modifiedAt }]);
    const xml = await sitemapXml(service, 'https://forum.example.org');
    assert.match(xml, /<loc>https:\/\/forum\.example\.org\/articles\/it&apos;s-a&amp;b<\/loc>/);
    assert.equal(XMLValidator.validate(xml), true, xml);
    const parsed = new XMLParser().parse(xml) as { urlset: { url: { loc: string; lastmod: string } } };
    assert.equal(parsed.urlset.url.loc, "https://forum.example.org/articles/it's-a&b");
    assert.equal(parsed.urlset.url.lastmod, '2026-01-02T03:04:05.678Z');
  });
});

describe('robotsTxt', () => {
  it('keeps crawlers out of the API and names the sitemap under PUBLIC_URL', () => {
    const lines = robotsTxt('https://forum.example.org').split('\n');
    assert.ok(lines.includes('Disallow: /api/'));
    assert.ok(lines.includes('Sitemap: https://forum.example.org/sitemap.xml'));
  });
});
