import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A word or phrase that sends a comment to the pending queue. Stored normalised (NFKC, lower case). */
@Entity({ name: 'banned_words' })
export class BannedWordEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  word: string;

  @Column({ name: 'added_by', type: 'bigint', nullable: true })
  addedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
