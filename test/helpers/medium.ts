import 'reflect-metadata';
import { type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { nestLogLevels } from '../../src/app.factory.js';
import { AppModule } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/app-config.js';
import { newTestDatabase } from './test-app.js';
import { CHEAP_PASSWORD_HASHING } from './test-env.js';

/** The app's modules on a real database, without HTTP or sockets: the middle tier's world. */
export interface MediumContext {
  app: INestApplicationContext;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Builds the application's modules (services, their real repositories, the real PostgreSQL) on a fresh copy of the
 * migrated template database, without an HTTP server or a socket: for `*.spec.ts` files of the middle tier, which
 * take the object under test from the context (`context.app.get(SessionsRepository)`) as the app wires it.
 */
export async function startMediumContext(
  options: { env?: Record<string, string>; modules?: Type[] } = {},
): Promise<MediumContext> {
  const database = await newTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'error', SEED_ON_START: 'false', ...CHEAP_PASSWORD_HASHING, ...options.env });
  try {
    // Extra modules (a spec's own event listener, say) sit beside the app's, found like any of them.
    @Module({ imports: [AppModule.forRoot({ config, databaseUrl: database.url }), ...(options.modules ?? [])] })
    class MediumModule {}
    const app = await NestFactory.createApplicationContext(MediumModule, {
      logger: nestLogLevels(config),
    });
    return {
      app,
      dataSource: app.get(DataSource),
      async close() {
        await app.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
