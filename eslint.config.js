import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of docs/architecture.md, enforced: each block names what its files may not import.
const DATABASE = [
  { group: ['**/db/**', '!**/db/tables/**'], message: 'Reach data through a service; only repos and src/db talk to the database.' },
  { group: ['**/*-repo.js'], message: 'Call the service; repos sit below services.' },
  { group: ['kysely', 'pg', 'better-sqlite3'], message: 'Only repos and src/db talk to the database.' },
];
const HTTP = [
  { group: ['**/http/**', 'fastify', '@fastify/*'], message: 'Services and below do not speak HTTP: throw an error from src/errors.ts.' },
];
const IO = [
  {
    group: [
      'node:fs',
      'node:fs/*',
      'node:net',
      'node:http',
      'node:https',
      'node:child_process',
      'node:worker_threads',
      'node:dns',
      'undici',
      'pg',
      'better-sqlite3',
      'kysely',
    ],
    message: 'Domain code is pure: no I/O.',
  },
  {
    group: ['**/db/**', '**/services/**', '**/storage/**', '**/http/**', '**/render/**', '**/workers/**', '**/metrics/**'],
    message: 'Domain code imports only domain modules and src/errors.ts.',
  },
];
// Type imports name a shape, not a dependency at run time, so they pass unless a block says otherwise.
const restrict = (patterns) => ['error', { patterns: patterns.map((p) => ({ allowTypeImports: true, ...p })) }];
const strictly = (patterns) => patterns.map((p) => ({ ...p, allowTypeImports: false }));

// A query builder call outside a repo or src/db is a query in the wrong room.
const QUERY_BUILDERS = {
  selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)$/]',
  message: 'Queries are built only in *-repo.ts and src/db (docs/architecture.md).',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'data/**',
      'dist/**',
      'dist.*/**',
      'test-results/**',
      'packages/*/dist/**',
      '**/*.generated.ts',
      'public/vendor/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': [
        'error',
        QUERY_BUILDERS,
        { selector: 'ImportDeclaration[source.value=/^(node:)?vm$/]', message: 'No code from strings: run real modules.' },
      ],
    },
  },
  { files: ['src/**/*-repo.ts', 'src/db/**/*.ts', 'src/services/db-snapshot/**/*.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['src/http/**/*.ts', 'src/workers/**/*.ts', 'src/web/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(DATABASE) },
  },
  {
    files: ['src/services/**/*.ts', 'src/render/**/*.ts', 'src/storage/**/*.ts', 'src/metrics/**/*.ts'],
    ignores: ['src/services/**/*-repo.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([...strictly(HTTP), DATABASE[2]]) },
  },
  {
    files: ['src/services/**/*-repo.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        strictly([...HTTP, { group: ['**/*-service.js'], message: 'Repos sit below services.' }]),
      ),
    },
  },
  { files: ['src/domain/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restrict(strictly([...IO, ...HTTP])) } },
  // The snapshot module copies whole tables, so it speaks SQL like the repos do.
  { files: ['src/services/db-snapshot/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': restrict(strictly(HTTP)) } },
);
