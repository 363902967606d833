import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { DEFAULT_CLIENT_DIR } from '../../src/web/web-client.js';

/** Debian's Chromium (`apt-get install chromium`); no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Why the browser suites cannot run here, or false when they can. Without Chromium they are skipped only outside CI:
 * in CI (`CI` set, as .ci/run installs Chromium) a missing browser is a failure, not a skip.
 */
export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM) || process.env.CI) return false;
  return `no Chromium at ${CHROMIUM} (apt-get install chromium); browser tests skipped outside CI`;
}

/** Headless Chromium as this machine needs it: no sandbox (root), no background traffic, a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(path.join(DEFAULT_CLIENT_DIR, 'index.html'))) {
    throw new Error(`The web client is not built (${DEFAULT_CLIENT_DIR}): run \`npm run build\` first.`);
  }
  // playwright-core gives every launch a new, empty --user-data-dir of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
