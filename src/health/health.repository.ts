import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The queries readiness asks the database. */
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The database answers (throws when it does not). */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** Every migration this build knows is applied. */
  async migrationsApplied(): Promise<boolean> {
    return !(await this.dataSource.showMigrations());
  }
}
