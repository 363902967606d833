import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class SecretsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The named secret; created at random on first use, the same for every process sharing the database. */
  async getOrCreate(name: string): Promise<Buffer> {
    const candidate = randomBytes(32).toString('base64');
    await this.dataSource.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      candidate,
    ]);
    const rows: { value: string }[] = await this.dataSource.query('SELECT value FROM app_secrets WHERE name = $1', [
      name,
    ]);
    return Buffer.from(rows[0].value, 'base64');
  }

  /**
   * A one-time fact of the installation (e.g. that the bootstrap admin was set up, and who it is), kept beside the
   * secrets because it is settled once and shared by every process the same way. null while it was never recorded.
   */
  async findMarker(name: string): Promise<string | null> {
    const rows: { value: string }[] = await this.dataSource.query('SELECT value FROM app_secrets WHERE name = $1', [
      name,
    ]);
    return rows[0]?.value ?? null;
  }

  /** Records a one-time fact unless one is already recorded under that name (the first process to record it wins). */
  async recordMarker(name: string, value: string): Promise<void> {
    await this.dataSource.query('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      value,
    ]);
  }
}
