import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options.js';

/** The TypeORM connection to an already migrated database. */
@Module({})
export class DatabaseModule {
  /** `poolSize`: DATABASE_POOL_SIZE (AppConfig); the default is the same 20. */
  static forRoot(databaseUrl: string, poolSize?: number): DynamicModule {
    return { module: DatabaseModule, imports: [TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, { poolSize }))] };
  }
}
