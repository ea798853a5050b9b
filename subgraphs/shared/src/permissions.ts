import { GraphQLError, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { allow, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import { ErrorCode } from './errors';
import { canReadAggregates, canReadInternal, canReadPersonal, type Viewer } from './viewer';

/**
 * Where an item sits in the tree and whether consumers may see it. Every
 * entity object a resolver returns carries one, so field rules decide from
 * the parent alone, with no extra query.
 */
export interface ItemScope {
  path: string;
  published: boolean;
  /** The user this item is about: they may read their own INTERNAL and PERSONAL data. */
  subjectId?: string;
}
export interface Scoped {
  scope: ItemScope;
}

/**
 * Field classes (docs/permissions.md §4).
 * - OPEN: no parent to check (root fields that filter rows themselves, plumbing
 *   types such as PageInfo or LocalizedText, and federation fields).
 * - PUBLIC: anyone, once the item is published; before that as INTERNAL.
 * - INTERNAL, PERSONAL, AGGREGATE: the viewer's grants must cover the item.
 * - SIGNED_IN: any authenticated viewer (mutations check the target themselves).
 */
export type FieldClass = 'OPEN' | 'PUBLIC' | 'INTERNAL' | 'PERSONAL' | 'AGGREGATE' | 'SIGNED_IN';

type ShieldRule = ReturnType<ReturnType<typeof rule>> | typeof allow;

export interface PermissionContext {
  viewer: Viewer;
}

const denied = () => new GraphQLError('You are not allowed to see this field.', { extensions: { code: ErrorCode.FORBIDDEN } });

function scopeOf(parent: unknown): ItemScope | null {
  const scope = (parent as Partial<Scoped> | null)?.scope;
  return scope && typeof scope.path === 'string' ? scope : null;
}

// Parent-dependent rules must not use the `contextual` cache (one result per
// request, whatever the parent); they are pure CPU checks, so no cache at all.
const isSubject = (viewer: Viewer, scope: ItemScope) => scope.subjectId !== undefined && viewer.kind === 'user' && viewer.userId === scope.subjectId;

const parentRule = (check: (viewer: Viewer, scope: ItemScope) => boolean, selfAllowed = false) =>
  rule({ cache: 'no_cache' })((parent, _args, ctx: PermissionContext) => {
    const scope = scopeOf(parent);
    if (scope === null) return denied();
    return check(ctx.viewer, scope) || (selfAllowed && isSubject(ctx.viewer, scope)) ? true : denied();
  });

export const rules: Record<FieldClass, ShieldRule> = {
  OPEN: allow,
  PUBLIC: parentRule((viewer, scope) => scope.published || canReadInternal(viewer, scope.path), true),
  INTERNAL: parentRule((viewer, scope) => canReadInternal(viewer, scope.path), true),
  PERSONAL: parentRule((viewer, scope) => canReadPersonal(viewer, scope.path), true),
  AGGREGATE: parentRule((viewer, scope) => canReadAggregates(viewer, scope.path)),
  SIGNED_IN: rule({ cache: 'contextual' })((_p, _a, ctx: PermissionContext) =>
    ctx.viewer.kind !== 'anonymous' ? true : new GraphQLError('Sign in first.', { extensions: { code: ErrorCode.UNAUTHENTICATED } }),
  ),
};

export type FieldClassMap = Record<string, Record<string, FieldClass>>;

/** Federation plumbing every subgraph answers; what `_entities` returns is still checked field by field. */
const FEDERATION: FieldClassMap = {
  Query: { _service: 'OPEN', _entities: 'OPEN' },
  _Service: { sdl: 'OPEN' },
};

/**
 * Object fields that the class map does not mention. Deny-by-default makes
 * them unreachable; a test calls this so a new field cannot ship unclassified.
 */
export function unclassifiedFields(schema: GraphQLSchema, classes: FieldClassMap): string[] {
  const merged: FieldClassMap = { ...classes, Query: { ...FEDERATION.Query, ...classes.Query }, _Service: FEDERATION._Service! };
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    // By tag, not instanceof: a test runner may load graphql's ESM and CJS builds side by side.
    if (Object.prototype.toString.call(type) !== '[object GraphQLObjectType]' || type.name.startsWith('__')) continue;
    for (const field of Object.keys((type as GraphQLObjectType).getFields())) {
      if (!merged[type.name]?.[field]) missing.push(`${type.name}.${field}`);
    }
  }
  return missing;
}

/** Wraps a subgraph schema in graphql-shield: deny by default, one class per field. */
export function protect(schema: GraphQLSchema, classes: FieldClassMap): GraphQLSchema {
  const tree: IRules = {};
  for (const source of [FEDERATION, classes]) {
    for (const [type, fields] of Object.entries(source)) {
      const target = ((tree as Record<string, Record<string, ShieldRule>>)[type] ??= {});
      for (const [field, cls] of Object.entries(fields)) target[field] = rules[cls];
    }
  }
  const permissions = shield(tree, {
    fallbackRule: rule({ cache: 'no_cache' })(() => denied()),
    // Resolver errors (NOT_FOUND, BAD_USER_INPUT, a database failure) keep their
    // identity instead of turning into "Not Authorised!".
    allowExternalErrors: true,
    fallbackError: denied,
  });
  return applyMiddleware(schema, permissions);
}
