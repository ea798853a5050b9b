// Lint for the whole repository: `npm run lint` (CI runs it). Besides the
// recommended JavaScript and TypeScript rules, it enforces the package
// boundaries of docs/architecture.md §2: a subgraph imports no other subgraph
// and no gateway code; the gateway's edge imports only the narrow, driver-free
// parts of @nguon/shared (its bundle holds no database driver or shield; the
// embedded launcher is the one exception); bench/ and the system tests in e2e/
// use packages' public entries, never their internals.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['tenants', 'catalog', 'trace', 'analytics'];

/** Relative paths that climb out of a package into another one's files. */
const reachInto = (dir) => [`**/${dir}/src/**`, `**/${dir}/src`];

const subgraphBoundary = (name) => ({
  files: [`subgraphs/${name}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: [
              ...SUBGRAPHS.filter((s) => s !== name).flatMap((s) => [`@nguon/${s}`, `@nguon/${s}/*`, ...reachInto(s)]),
              '@nguon/gateway',
              '@nguon/gateway/*',
              '**/gateway/src/**',
            ],
            message: 'A subgraph talks to other services over the graph or their read contracts, never by importing them (docs/architecture.md §2).',
          },
        ],
      },
    ],
  },
});

/** Parts of @nguon/shared that pull in a database driver, graphql-shield or @apollo/subgraph. */
const SERVER_SIDE_SHARED = [
  'db',
  'server',
  'permissions',
  'loaders',
  'sqlscope',
  'contracts',
  'idempotency',
  'main',
  'testing',
  'scalars',
  'pagination',
  'ranked',
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/drizzle/**', 'bench/results/**', 'docs/**', '.data/**', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      // Unused bindings are errors, except the `_name` convention for deliberate ones.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Federation entity resolvers and test answers are untyped JSON at the edges; `any` there is reviewed, not banned.
      '@typescript-eslint/no-explicit-any': 'off',
      // Type-only imports keep runtime imports honest (and the gateway bundle small).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  ...SUBGRAPHS.map(subgraphBoundary),
  {
    files: ['subgraphs/shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...SUBGRAPHS.flatMap((s) => [`@nguon/${s}`, `@nguon/${s}/*`, ...reachInto(s)]),
                '@nguon/gateway',
                '**/gateway/src/**',
                '@nguon/demo',
                '@nguon/demo/*',
              ],
              message: '@nguon/shared is below every service and apart from the demo data; it imports none of them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/gs1/src/**/*.ts', 'packages/interop/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nguon/*', 'postgres', '@electric-sql/*', 'drizzle-orm', 'drizzle-orm/*', 'graphql-shield', '@apollo/*'],
              message: '@nguon/gs1 and @nguon/interop are libraries of rules: no database, no server, no other package of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/demo/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@nguon/shared', message: '@nguon/demo takes only stable ids from @nguon/shared (@nguon/shared/ids).' }],
          patterns: [
            {
              group: ['@nguon/*', '!@nguon/gs1', '!@nguon/shared', '@nguon/shared/*', '!@nguon/shared/ids', '**/subgraphs/**', '**/gateway/**'],
              message: '@nguon/demo is data: it uses GS1 check digits and stable ids, and each service seeds its own part of it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['gateway/src/**/*.ts'],
    ignores: ['gateway/src/embedded.ts', 'gateway/src/stack.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nguon/shared',
              message:
                'Import the narrow module (@nguon/shared/http, /viewer, …): the barrel pulls database drivers and graphql-shield into the gateway bundle.',
            },
          ],
          patterns: [
            {
              group: [...SUBGRAPHS.flatMap((s) => [`@nguon/${s}`, `@nguon/${s}/*`]), '**/subgraphs/**'],
              message: 'The edge reaches subgraphs over HTTP only; only the embedded launcher (stack.ts, embedded.ts) starts them in process.',
            },
            {
              group: ['@nguon/demo', '@nguon/demo/*'],
              message: 'Demo data is seeded by the services, never read by the edge.',
            },
            {
              group: SERVER_SIDE_SHARED.map((m) => `@nguon/shared/${m}`),
              message: 'Server-side part of @nguon/shared: it would put a database driver or graphql-shield in the gateway bundle.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/subgraphs/**', '**/gateway/**', '!@nguon/**'],
              message: 'bench/ and e2e/ use packages through their public entries (package.json "exports").',
            },
          ],
        },
      ],
    },
  },
);
