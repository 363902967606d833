import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';

/** Every migration in order. The app, the CLI and the tests run this list; nothing is loaded by file glob. */
export const MIGRATIONS = [InitialSchema1764000000000];
