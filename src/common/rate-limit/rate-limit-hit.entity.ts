import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Rate-limit counters, shared by every process on the database: one row per key (throttler and client: a user's or
 * an address's writes share one count whatever the route) and fixed window. The table is UNLOGGED (see its
 * migration): counters need no crash safety, and skip the WAL.
 */
@Entity({ name: 'rate_limit_hits' })
@Index('rate_limit_hits_window_idx', ['windowEnds'])
export class RateLimitHitEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  key: string;

  @Column({ type: 'integer' })
  hits: number;

  @Column({ name: 'window_ends', type: 'timestamptz', precision: 3 })
  windowEnds: Date;

  @Column({ name: 'blocked_until', type: 'timestamptz', precision: 3, nullable: true })
  blockedUntil: Date | null;
}
