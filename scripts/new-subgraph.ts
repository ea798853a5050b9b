/**
 * Scaffolds a subgraph in the shape all four follow (docs/architecture.md §2):
 *
 *   npm run new:subgraph -- <name> <port>        e.g. npm run new:subgraph -- inspections 4105
 *
 * It writes subgraphs/<name>/ — package, schema.graphql, drizzle table and its
 * first migration, data access that decodes rows in one place, a service, one
 * resolver file per type and a typed index, field classes for every field,
 * per-request loaders, the server definition, the process entry and a test —
 * wires it in (codegen.ts, schema/compose.ts, the embedded stack in
 * gateway/src/stack.ts, docker-compose.yml), generates its resolver types and
 * migration, and from the command line also runs `npm install` and
 * `npm run compose`. The gateway itself needs no change: it reaches every
 * subgraph the supergraph names. The example it writes (notes about an
 * organization, readable by whoever may read the organization's internal
 * data) runs and passes its test as generated; replace it with the real thing.
 * `--root <dir>` scaffolds into another checkout (its test uses a scratch one).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NewSubgraph {
  /** Lower-case letters: the package is @nguon/<name>, the Postgres schema <name>. */
  name: string;
  /** The port its process listens on by default (docker-compose uses it too). */
  port: number;
  /** The repository root to write into. */
  root: string;
}

const NAME = /^[a-z][a-z0-9]{1,30}$/;
const TAKEN = new Set(['shared', 'gateway', 'public', 'tenants', 'catalog', 'trace', 'analytics']);

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** The files of the package, by path relative to subgraphs/<name>/. */
export function templateFiles(name: string, port: number): Record<string, string> {
  const P = pascal(name);
  const note = `${P}Note`;
  const list = `${name}Notes`;
  return {
    'package.json': `${JSON.stringify(
      {
        name: `@nguon/${name}`,
        private: true,
        type: 'module',
        exports: { '.': './src/server.ts' },
        scripts: { start: 'tsx src/index.ts', typecheck: 'tsc --noEmit -p .', 'db:generate': 'drizzle-kit generate' },
        dependencies: { '@nguon/shared': '*', 'drizzle-orm': '0.45.4', graphql: '16.15.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `{\n  "extends": "../../tsconfig.json",\n  "include": ["src", "test", "*.ts"]\n}\n`,
    'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  schemaFilter: ['${name}'],
});
`,
    'schema.graphql': `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"""
An instant as ISO 8601 with a time zone offset.
"""
scalar DateTime

type Query {
  """
  Notes about one organization, newest first. Only notes the viewer may read
  are listed: the organization's internal data, by grant or API scope.
  """
  ${list}(organizationId: ID!, first: Int = 20): [${note}!]!
}

"""
A note about an organization (the example the generator writes; replace it).
"""
type ${note} @key(fields: "id") {
  id: ID!
  "The organization the note is about."
  organizationId: ID!
  text: String!
  createdAt: DateTime!
}
`,
    'src/db/schema.ts': `import { index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The ${name} service owns this Postgres schema; other services read it only through a declared contract. */
export const ${name} = pgSchema('${name}');

export const notes = ${name}.table(
  'notes',
  {
    id: uuid().primaryKey(),
    organizationId: uuid('organization_id').notNull(),
    /** The organization's tree path when the note was written: what the permission rules check. */
    organizationPath: text('organization_path').notNull(),
    text: text().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notes_organization_idx').on(t.organizationId, t.createdAt)],
);
`,
    'src/models.ts': `import type { Scoped } from '@nguon/shared';

/** A note as resolvers see it: decoded once from its row, with the scope the field rules check. */
export interface NoteModel extends Scoped {
  id: string;
  organizationId: string;
  text: string;
  createdAt: Date;
}
`,
    'src/data/notes.ts': `import { desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@nguon/shared';
import { notes } from '../db/schema';
import type { NoteModel } from '../models';

type NoteRow = typeof notes.$inferSelect;

/** The one place a row becomes a model: every query below returns through it. */
export const toNote = (row: NoteRow): NoteModel => ({
  id: row.id,
  organizationId: row.organizationId,
  text: row.text,
  createdAt: row.createdAt,
  scope: { path: row.organizationPath, published: false },
});

export async function notesByIds(db: Database, ids: readonly string[]): Promise<NoteModel[]> {
  const rows = await db.select().from(notes).where(inArray(notes.id, [...ids]));
  return rows.map(toNote);
}

export async function notesOf(db: Database, organizationId: string, limit: number): Promise<NoteModel[]> {
  const rows = await db.select().from(notes).where(eq(notes.organizationId, organizationId)).orderBy(desc(notes.createdAt), desc(notes.id)).limit(limit);
  return rows.map(toNote);
}
`,
    'src/services/notes.ts': `import { badInput, canReadInternal, isUuid, pageSize } from '@nguon/shared';
import type { Context } from '../context';
import { notesOf } from '../data/notes';
import type { NoteModel } from '../models';

/**
 * Services take the request context first, then their arguments, and hold the
 * rules; resolvers only map GraphQL onto them. A note is listed only when the
 * viewer may read its organization's internal data.
 */
export async function listNotes(ctx: Context, organizationId: string, first: number | null | undefined): Promise<NoteModel[]> {
  if (!isUuid(organizationId)) throw badInput('organizationId is not an id.', 'organizationId');
  const notes = await notesOf(ctx.db, organizationId, pageSize(first));
  return notes.filter((n) => canReadInternal(ctx.viewer, n.scope.path));
}
`,
    'src/loaders.ts': `import { byIdLoader, type BaseContext } from '@nguon/shared';
import { notesByIds } from './data/notes';

/** Built per request: batching and caching never cross viewers. */
export function createLoaders({ db }: BaseContext) {
  return {
    notes: byIdLoader(
      (ids) => notesByIds(db, ids),
      (n) => n.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
`,
    'src/context.ts': `import type { BaseContext } from '@nguon/shared';
import type { Loaders } from './loaders';

export interface Context extends BaseContext {
  loaders: Loaders;
}
`,
    'src/permissions.ts': `import type { FieldClassMap } from '@nguon/shared';

/**
 * The permission class of every field of the ${name} graph (docs/permissions.md §4);
 * unlisted fields are denied. The root field is SIGNED_IN and lists only what
 * the viewer may read; each note's fields are INTERNAL to its organization.
 */
export const fieldClasses: FieldClassMap = {
  Query: { ${list}: 'SIGNED_IN' },
  ${note}: { id: 'INTERNAL', organizationId: 'INTERNAL', text: 'INTERNAL', createdAt: 'INTERNAL' },
};
`,
    'src/resolvers/Query.ts': `import type { QueryResolvers } from '../generated/graphql';
import { listNotes } from '../services/notes';

export const Query: QueryResolvers = {
  ${list}: (_parent, { organizationId, first }, ctx) => listNotes(ctx, organizationId, first),
};
`,
    [`src/resolvers/${note}.ts`]: `import type { ${note}Resolvers } from '../generated/graphql';

export const ${note}: ${note}Resolvers = {
  __resolveReference: (ref, ctx) => ctx.loaders.notes.load(ref.id),
};
`,
    'src/resolvers/index.ts': `import { DateTimeScalar } from '@nguon/shared';
import type { Resolvers } from '../generated/graphql';
import { ${note} } from './${note}';
import { Query } from './Query';

/** Every resolver of the ${name} graph, one file per type, typed by codegen. */
export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, ${note} };
`,
    'src/server.ts': `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The ${name} subgraph. */
export function ${name}Subgraph(): SubgraphDefinition<Context> {
  return {
    name: '${name}',
    typeDefs,
    resolvers,
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: '${name}' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
  };
}
`,
    'src/index.ts': `import { runSubgraphProcess } from '@nguon/shared';
import { ${name}Subgraph } from './server';

runSubgraphProcess('${name}', ${port}, () => ${name}Subgraph());
`,
    [`test/${name}.test.ts`]: `import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, sql, unclassifiedFields, type Viewer } from '@nguon/shared';
import { startTestSubgraph, testDatabase, type TestDatabase, type TestSubgraph } from '@nguon/shared/testing';
import { fieldClasses } from '../src/permissions';
import { ${name}Subgraph } from '../src/server';

const definition = ${name}Subgraph();
const farm = { id: randomUUID(), path: 'ct.agri.thot_not.farm' };
const staffOf = (path: string): Viewer => ({ kind: 'user', requestId: 't', userId: randomUUID(), grants: [{ role: 'STAFF', orgId: randomUUID(), path }] });
let db: TestDatabase;
let subgraph: TestSubgraph;
beforeAll(async () => {
  db = await testDatabase();
  subgraph = await startTestSubgraph(definition, db.connection);
  await db.connection.rows(sql\`insert into ${name}.notes (id, organization_id, organization_path, text)
    values (\${randomUUID()}, \${farm.id}, \${farm.path}, 'Kiểm tra kho')\`);
});
afterAll(async () => {
  await subgraph?.close();
  await db?.close();
});

const NOTES = 'query($o: ID!) { ${list}(organizationId: $o) { id text } }';

describe('${name} subgraph', () => {
  it('publishes its SDL to the gateway', async () => {
    const { body } = await subgraph.request('{ _service { sdl } }');
    expect(body.data._service.sdl).toMatch(/type ${note}\\s+@key\\(fields: "id"\\)/);
  });

  it('classifies every field of every type', () => {
    expect(unclassifiedFields(buildSchema(definition), fieldClasses)).toEqual([]);
  });

  it("lists an organization's notes to its staff, and to nobody outside it", async () => {
    const own = await subgraph.request(NOTES, { o: farm.id }, staffOf(farm.path));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.${list}.map((n: { text: string }) => n.text)).toEqual(['Kiểm tra kho']);
    const other = await subgraph.request(NOTES, { o: farm.id }, staffOf('ct.agri.thot_not.other'));
    expect(other.body.data.${list}).toEqual([]);
    const anonymous = await subgraph.request(NOTES, { o: farm.id });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an id that is not one', async () => {
    const { body } = await subgraph.request(NOTES, { o: 'nope' }, staffOf(farm.path));
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
`,
  };
}

/** Inserts `line` before the line matching `anchor` in `file`; fails loudly when the anchor moved. */
function insertBefore(file: string, anchor: RegExp, line: string) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => anchor.test(l));
  if (at < 0) throw new Error(`${file}: no line matches ${anchor}; register the subgraph there by hand`);
  lines.splice(at, 0, line);
  writeFileSync(file, lines.join('\n'));
}

/** Replaces the one match of `pattern` in `file` through `edit`; fails loudly when the code it expects moved. */
function editOnce(file: string, pattern: RegExp, edit: (match: string) => string) {
  const text = readFileSync(file, 'utf8');
  const match = text.match(pattern);
  if (!match) throw new Error(`${file}: nothing matches ${pattern}; wire the subgraph there by hand`);
  writeFileSync(file, text.replace(pattern, edit(match[0])));
}

/**
 * Writes the package and wires it in: codegen, composition, the embedded
 * stack (`npm start` and the tests) and docker-compose. The gateway needs no
 * change: it reaches every subgraph the supergraph names, at the URL
 * composition recorded or its `<NAME>_URL`. Returns what is left to run.
 */
export function newSubgraph({ name, port, root }: NewSubgraph): string[] {
  if (!NAME.test(name) || TAKEN.has(name)) throw new Error(`name: lower-case letters and digits, 2-31 long, not one of ${[...TAKEN].join(', ')}`);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error('port: an integer from 1024 to 65535');
  const dir = join(root, 'subgraphs', name);
  if (existsSync(dir)) throw new Error(`${dir} exists`);
  for (const [path, content] of Object.entries(templateFiles(name, port))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  // Codegen: its list of subgraphs, and the note type resolving to the decoded model.
  const codegen = join(root, 'codegen.ts');
  editOnce(codegen, /^const all = \[(.*)\];$/m, (line) => line.replace(/\];$/, `, '${name}'];`));
  insertBefore(codegen, /^};$/, `  ${name}: {\n    ${pascal(name)}Note: '../models#NoteModel',\n  },`);
  // Composition.
  insertBefore(join(root, 'schema/compose.ts'), /^\] as const;$/, `  { name: '${name}', url: 'http://${name}:${port}/graphql' },`);
  // The embedded stack: started after the others (analytics' views read theirs), named in Stack.subgraphs.
  const stack = join(root, 'gateway/src/stack.ts');
  insertBefore(stack, /^import .* from '\.\/routes';$/, `import { ${name}Subgraph } from '@nguon/${name}';`);
  editOnce(stack, /subgraphs: Record<('[a-z0-9]+'(?: \| '[a-z0-9]+')*), RunningSubgraph>;/, (m) =>
    m.replace(/, RunningSubgraph>;$/, ` | '${name}', RunningSubgraph>;`),
  );
  editOnce(stack, /^ {2}const subgraphs = \{ ([a-z0-9, ]+) \};$/m, (line) => line.replace(/ \};$/, `, ${name} };`));
  insertBefore(
    stack,
    /^ {2}const subgraphs = \{/,
    `  const ${name} = await startSubgraph(${name}Subgraph(), { ...common, logger: logger.child({ service: '${name}' }) });`,
  );
  // docker-compose: the image installs its package; a service runs it; the gateway waits for it.
  const compose = join(root, 'docker-compose.yml');
  insertBefore(compose, /^ {6}RUN npm ci/, `      COPY subgraphs/${name}/package.json subgraphs/${name}/`);
  insertBefore(
    compose,
    /^ {2}gateway:$/,
    [
      `  ${name}:`,
      `    <<: *node-service`,
      `    command: ["npx", "tsx", "subgraphs/${name}/src/index.ts"]`,
      `    environment:`,
      `      <<: *subgraph-env`,
      `      PORT: "${port}"`,
      `    depends_on:`,
      `      tenants:`,
      `        condition: service_healthy`,
      `    healthcheck: *ready`,
      ``,
    ].join('\n'),
  );
  editOnce(compose, /^( {4}depends_on:\n(?: {6}[a-z0-9]+:\n {8}condition: service_healthy\n)+)( {4}ports:)/m, (m) =>
    m.replace(/( {4}ports:)$/, `      ${name}:\n        condition: service_healthy\n$1`),
  );

  const bin = (tool: string) => join(root, 'node_modules/.bin', tool);
  execFileSync(bin('graphql-codegen'), ['--config', 'codegen.ts'], { cwd: root, env: { ...process.env, CODEGEN_ONLY: name }, stdio: 'pipe' });
  execFileSync(bin('drizzle-kit'), ['generate', '--name', 'init'], { cwd: dir, stdio: 'pipe' });
  return [
    `npm install        links @nguon/${name} into the workspace`,
    `npm run compose    adds it to schema/supergraph.graphql and schema/api.graphql (commit them)`,
  ];
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? resolve(args.splice(rootAt, 2)[1]!) : fileURLToPath(new URL('..', import.meta.url));
  const [name, port] = args;
  if (!name || !port) {
    console.error('usage: npm run new:subgraph -- <name> <port> [--root <dir>]');
    process.exit(2);
  }
  try {
    newSubgraph({ name, port: Number(port), root });
    console.log(`Wrote subgraphs/${name}/ (schema, table and migration, data, service, resolvers, field classes, loaders, server, entry, test)`);
    console.log('and wired it into codegen.ts, schema/compose.ts, gateway/src/stack.ts and docker-compose.yml.');
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
    execFileSync('npm', ['run', 'compose'], { cwd: root, stdio: 'inherit' });
    console.log(`Done: npm test runs its test; npm start serves it in the graph. Commit subgraphs/${name}/ and the files above.`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
