import { Injectable } from '@nestjs/common';
import { htmlToText } from '../common/markdown/markdown.js';
import { type Tx } from '../database/unit-of-work.js';
import { BannedWordMatcher, normaliseForMatching } from './banned-word-matcher.js';
import { BannedWordsRepository } from './banned-words.repository.js';

const CACHE_MS = 2_000;

/**
 * The banned-word list, a small domain of its own: comments are checked against it, moderation manages it. As a
 * matcher it is read from the database at most every two seconds per process, so a change made through any process
 * applies everywhere within that time (and at once in the process that made it).
 */
@Injectable()
export class BannedWords {
  private cached?: { at: number; matcher: BannedWordMatcher };

  constructor(private readonly words: BannedWordsRepository) {}

  async firstMatch(text: string): Promise<string | null> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      this.cached = { at: Date.now(), matcher: new BannedWordMatcher(await this.words.list()) };
    }
    return this.cached.matcher.firstMatch(text);
  }

  /**
   * The first banned entry in what a reader sees of a piece of rendered html (Markdown and character references
   * already resolved, inline formatting inside a word joined, blocks apart), and in any plain texts shown beside it
   * (a quoted passage).
   */
  firstMatchInHtml(html: string, ...plainTexts: string[]): Promise<string | null> {
    return this.firstMatch([htmlToText(html), ...plainTexts].join('\n'));
  }

  /** The list as stored; inside a unit of work, read through its transaction (never a second pool connection). */
  list(tx?: Tx): Promise<string[]> {
    return this.words.list(tx);
  }

  /** Normalises, drops blanks and duplicates, and replaces the list; returns what was stored. */
  async replace(tx: Tx, words: string[], userId: string): Promise<string[]> {
    const normalised = [
      ...new Set(words.map((w) => normaliseForMatching(w).replace(/\s+/gu, ' ').trim()).filter(Boolean)),
    ].sort();
    await this.words.replace(tx, normalised, userId);
    this.cached = undefined;
    return normalised;
  }
}
