import { parseJekyllPost } from './parsers/jekyll-post.parser.js';
import { parseMagazineArticle } from './parsers/magazine-article.parser.js';
import { parseMarxistsArchive } from './parsers/marxists-archive.parser.js';
import { type ParsedDocument } from './parsers/parsed-document.js';
import { parseScrapedArticle } from './parsers/scraped-article.parser.js';

export interface SeedDocument {
  /** File under seeds/documents; its name without extension is the import key. */
  file: string;
  parse: (text: string) => ParsedDocument;
}

/** The project's own copies of the four source documents, one parser per format. */
export const SEED_DOCUMENTS: SeedDocument[] = [
  { file: '000_1f1892ddb8fdfb52.txt', parse: parseJekyllPost },
  { file: '001_1a34b0c5bb713a52.txt', parse: parseScrapedArticle },
  { file: '002_3caec7d13bd484a5.txt', parse: parseMagazineArticle },
  { file: '003_cbfdfa432e988fe7.txt', parse: parseMarxistsArchive },
];

/**
 * seeds/documents, from the compiled file's place (dist/src/seeding) or the source's (src/seeding): the documents stay
 * in seeds/ as data (the Docker image copies that folder); the code that reads them is this feature.
 */
export const DOCUMENTS_DIR = new URL(
  import.meta.url.includes('/dist/') ? '../../../seeds/documents/' : '../../seeds/documents/',
  import.meta.url,
);
