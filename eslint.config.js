import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The direction of dependencies in src/: each folder may import only folders of the layers below it (and none of its
 * own layer). Read bottom to top: configuration and the database below everything, then shared code, then the events
 * job queue, the events layer (whose durable listeners hear through the queue) and the audit log, then mail (sent through
 * the queue), then the domains (a domain may use the ones listed before it; profiles and search read comments and essays), then the notifications (follows and the
 * inbox, listeners of the domains' events), then the metrics (a listener
 * of domain events that the live fan-out reports into), then the live fan-out and health and seeding on top. The composition root (app.module.ts, app.factory.ts, main.ts), web/ and openapi/ wire
 * everything. Nothing in src/ imports seeds/ (the seed documents and their scripts, which use src/).
 */
const LAYERS = [
  ['config'],
  ['database'],
  ['common'],
  ['jobs'],
  ['events', 'audit'],
  ['mail'],
  ['users'],
  ['auth'],
  ['articles'],
  ['banned-words'],
  ['comments'],
  ['votes'],
  ['profiles', 'search'],
  ['moderation'],
  ['notifications'],
  ['account-data'],
  ['metrics'],
  ['realtime', 'health', 'seeding', 'feeds'],
];
const DEEP_IMPORTS = { group: ['../../../*'], message: 'Import from a nearer module, or move the shared code down.' };
const NO_SEEDS = {
  regex: '^(\\.\\./)+seeds/',
  message: 'src/ does not import seeds/: seeds/ holds data and scripts that use src/.',
};
const directionRules = [
  {
    files: ['src/*.ts', 'src/web/**/*.ts', 'src/openapi/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS, NO_SEEDS] }] },
  },
  ...LAYERS.flatMap((layer, index) => {
    const above = LAYERS.slice(index + 1).flat();
    return layer.map((folder) => {
      const forbidden = [...above, ...layer.filter((other) => other !== folder), 'seeds'];
      return {
        files: [`src/${folder}/**/*.ts`],
        ignores: ['**/*.spec.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                DEEP_IMPORTS,
                {
                  regex: `^(\\.\\./)+((${forbidden.join('|')})/|app\\.[a-z]+\\.js$|main\\.js$)`,
                  message: `src/${folder} may import only the layers below it (LAYERS in eslint.config.js): dependencies point down.`,
                },
              ],
            },
          ],
        },
      };
    });
  }),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'client/dist/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS] }],
    },
  },
  {
    // Response bodies from supertest are untyped JSON: tests read them as such.
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...directionRules,
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
