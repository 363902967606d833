import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { type INestApplication } from '@nestjs/common';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createDatabaseFromTemplate, dropDatabase, ensureDatabase } from '../../src/database/database-server.js';
import { prepareDatabase } from '../../src/database/prepare-database.js';
import { SeedImporter } from '../../src/seeding/seed-importer.js';
import { TEST_ENV } from './test-env.js';

export interface TestApp {
  app: INestApplication;
  /** supertest bound to the listening server. */
  http: ReturnType<typeof supertest>;
  baseUrl: string;
  dataSource: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The configuration of an in-process test app: TEST_ENV, overridden by `env`. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...TEST_ENV, ...env });
}

/** The PostgreSQL server that `npm test` started (see test/harness/run-tests.ts). */
export function testServerUrl(): string {
  const url = process.env.TEST_PG_SERVER_URL;
  if (!url) throw new Error('TEST_PG_SERVER_URL is not set: run the suites through `npm test`.');
  return url;
}

/**
 * A new, migrated database of its own on the test server: a copy of the template the harness migrated once (a few
 * tens of milliseconds), or, when no template is given (a suite started without the harness's template), a new
 * database migrated here. `{ empty: true }` gives a database without any table, for tests of the migrations;
 * `{ copyOf: url }` a copy of another database of the test server, which nothing may be connected to meanwhile (a
 * state prepared once, then given to several tests).
 */
export async function newTestDatabase(
  options: { empty?: boolean; copyOf?: string } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = options.copyOf ? databaseNameOf(options.copyOf) : process.env.TEST_PG_TEMPLATE;
  let url: string;
  if (template && !options.empty) {
    url = await createDatabaseFromTemplate(testServerUrl(), name, template);
  } else {
    url = await ensureDatabase(testServerUrl(), name);
    if (!options.empty) await prepareDatabase(url, () => undefined);
  }
  return {
    url,
    drop: () => dropDatabase(testServerUrl(), name),
  };
}

function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Boots the real app on its own migrated database and listens on a free loopback port. */
export async function startTestApp(options: { seed?: boolean; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await newTestDatabase();
  const config = testConfig(options.env);
  const app = await createApp(config, database.url);
  await app.listen(0, '127.0.0.1');
  if (options.seed) await app.get(SeedImporter).importAll();
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    http: supertest(app.getHttpServer()),
    baseUrl: `http://127.0.0.1:${address.port}`,
    dataSource: app.get(DataSource),
    databaseUrl: database.url,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
