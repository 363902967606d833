import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { createApp } from './app.factory.js';
import { loadConfig } from './config/app-config.js';
import { buildOpenApiDocument } from './openapi/openapi.js';

/** The committed OpenAPI document, at the project root. */
const COMMITTED = new URL('../../openapi.json', import.meta.url);

/** `write`: regenerates openapi.json from the code. `check`: fails when the committed copy differs from the code. */
async function main(command: string | undefined): Promise<number> {
  if (command !== 'write' && command !== 'check') {
    console.error('usage: cli.js write | check');
    return 2;
  }
  const app = await createApp(loadConfig({ LOG_LEVEL: 'error' }), 'postgres://preview@127.0.0.1:1/preview', {
    preview: true,
  });
  const generated = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (command === 'write') {
    await writeFile(COMMITTED, generated);
    console.log('Wrote openapi.json');
    return 0;
  }
  const committed = await readFile(COMMITTED, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error('openapi.json differs from the code: run `npm run openapi:write` and commit the result.');
    return 1;
  }
  console.log('openapi.json agrees with the code.');
  return 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
