import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Tx } from '../database/unit-of-work.js';

/** Every query on the banned-word list. */
@Injectable()
export class BannedWordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(tx: Tx = this.dataSource.manager): Promise<string[]> {
    const rows: { word: string }[] = await tx.query('SELECT word FROM banned_words ORDER BY word');
    return rows.map((r) => r.word);
  }

  /** Replaces the whole list. */
  async replace(tx: Tx, words: string[], addedBy: string): Promise<void> {
    await tx.query('DELETE FROM banned_words');
    if (words.length > 0) {
      await tx.query('INSERT INTO banned_words (word, added_by) SELECT unnest($1::varchar[]), $2', [words, addedBy]);
    }
  }
}
