import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module.js';
import { loadConfig } from '../src/config/app-config.js';
import { openDatabaseServer } from '../src/database/database-server.js';
import { prepareDatabase } from '../src/database/prepare-database.js';
import { SeedImporter } from '../src/seeding/seed-importer.js';

/** `npm run seed`: imports the seed documents into the app's database; a second run changes nothing. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabaseServer(config, () => undefined);
  try {
    await prepareDatabase(database.databaseUrl, (message) => console.log(message));
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, databaseUrl: database.databaseUrl }),
      {
        logger: ['error', 'warn'],
      },
    );
    try {
      const report = await app.get(SeedImporter).importAll();
      console.log(
        `Imported: ${report.imported.join(', ') || 'none'}; already present: ${report.skipped.join(', ') || 'none'}`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  new Logger('Seeds').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
