import { parseJekyllPost } from './parsers/jekyll-post.parser.js';
import { parseMagazineArticle } from './parsers/magazine-article.parser.js';
import { parseMarxistsArchive } from './parsers/marxists-archive.parser.js';
import { type Stance } from '../common/limits.js';
import { type ParsedDocument } from './parsers/parsed-document.js';
import { parseScrapedArticle } from './parsers/scraped-article.parser.js';

export interface SeedDocument {
  /** File under seeds/documents; its name without extension is the import key. */
  file: string;
  parse: (text: string) => ParsedDocument;
  /** The stance of some of its reader comments, by their number on the page (see SEED_STANCES). */
  stances?: Readonly<Record<number, Stance>>;
}

/**
 * The seeded reader comments' stances, where the comment's own words state one; every other comment has none. The
 * rule, read from each text: `agree` or `disagree` only when the comment says so in as many words about the essay;
 * `question` when a reply's point is a question to the comment it answers; `evidence` when the comment's point is a
 * quoted source. Hedged or two-sided comments ("less than 100% convinced", "can't make my mind up"), a reply that
 * argues with the essay rather than with its parent, an argument against the thesis that does not say it disagrees,
 * and the essay author's own reply get none.
 */
const READER_THREAD_STANCES: Readonly<Record<number, Stance>> = {
  /** "Oh, I entirely agree with the author". */
  4: 'agree',
  /** Its point is a quotation of Lenin (What Is to Be Done?) set against the essay's reading. */
  5: 'evidence',
  /** "Can Mr. Rochat show us a single genuine revolution made by trade unions, without the benefit of a vanguard party?" */
  6: 'question',
};

/** The project's own copies of the four source documents, one parser per format. */
export const SEED_DOCUMENTS: SeedDocument[] = [
  { file: '000_1f1892ddb8fdfb52.txt', parse: parseJekyllPost },
  { file: '001_1a34b0c5bb713a52.txt', parse: parseScrapedArticle, stances: READER_THREAD_STANCES },
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
