import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Server-side secrets generated at first start and shared by every process (e.g. the cursor signing key). */
@Entity({ name: 'app_secrets' })
export class AppSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'text' })
  value: string;
}
