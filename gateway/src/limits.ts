import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Viewer } from '@nguon/shared/viewer';
import type { GatewayContext } from './datasource';

/** What one class of viewer may ask in one operation. */
export interface QueryLimits {
  /** Deepest field nesting (`__typename` counted; inside `__schema`/`__type`, graphql-js's own introspection depth rule). */
  maxDepth: number;
  /** Aliased fields in the whole operation. */
  maxAliases: number;
  /** Lexical tokens in the document (comments excluded). */
  maxTokens: number;
  /** Directive uses in the whole operation. */
  maxDirectives: number;
  /** Estimated cost: every field counts once per object it is asked on (page sizes × nesting). */
  maxCost: number;
}

export interface LimitsConfig {
  anonymous: QueryLimits;
  /** Signed-in users and machine clients: analysts ask wider questions. */
  signedIn: QueryLimits;
  /** Largest `first` any list field may be asked for (the subgraphs' own cap). */
  maxPageSize: number;
  /** Size assumed for a list asked without `first`. */
  defaultListSize: number;
  /**
   * Deepest nesting of objects and arrays in one variable's value or in
   * `extensions` (DEFAULT_LIMITS: 64). Checked when the body is read, before
   * any work: graphql-js coerces input values recursively.
   */
  maxVariablesDepth: number;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  anonymous: { maxDepth: 10, maxAliases: 15, maxTokens: 1000, maxDirectives: 10, maxCost: 5_000 },
  signedIn: { maxDepth: 15, maxAliases: 50, maxTokens: 5000, maxDirectives: 50, maxCost: 50_000 },
  maxPageSize: 100,
  defaultListSize: 20,
  maxVariablesDepth: 64,
};

export const QUERY_LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED';

const limitError = (limit: keyof QueryLimits, max: number, found: number, viewer: Viewer) =>
  new GraphQLError(
    `The operation exceeds the ${LIMIT_NAMES[limit]} limit of ${max} (found ${found})${viewer.kind === 'anonymous' ? '; signed-in users have higher limits' : ''}.`,
    { extensions: { code: QUERY_LIMIT_EXCEEDED, limit: LIMIT_NAMES[limit], max, found, http: { status: 400 } } },
  );

const LIMIT_NAMES: Record<keyof QueryLimits, string> = {
  maxDepth: 'depth',
  maxAliases: 'aliases',
  maxTokens: 'tokens',
  maxDirectives: 'directives',
  maxCost: 'cost',
};

/** Counts a document's tokens the way graphql-js's parser does, stopping one past `max`. */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > max) break;
  } catch {
    // A syntax error is reported by the parser; the count so far is what matters here.
  }
  return count;
}

/**
 * The field `name` of an object or interface type. Duck-typed on purpose: the
 * gateway's schema comes from @apollo/gateway's CommonJS copy of graphql-js,
 * whose classes fail this module's `instanceof` checks.
 */
function fieldOf(type: GraphQLNamedType | null | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  const withFields = type as { getFields?: () => Record<string, GraphQLField<unknown, unknown>> } | null | undefined;
  return typeof withFields?.getFields === 'function' ? withFields.getFields()[name] : undefined;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
  /** A `first` above the page-size cap, with the response path of the field that asked. */
  oversizedPage?: { path: string[]; first: number };
}

/**
 * Measures one operation with fragments applied and variables applied:
 * depth, aliases, directives, and cost = Σ over fields of the number of
 * parent objects it is asked on. A field with `first` multiplies its
 * children by that page size; a list without `first` by `defaultListSize`;
 * the `nodes`/`edges` list of a connection is already counted by its `first`.
 *
 * Linear in the size of the document: each fragment is measured once (per
 * `sized` context) and its summary reused at every spread, since depth adds,
 * cost scales with the multiplier and aliases/directives add. Expanding
 * fragments instead made a 260-token document of fragments that each spread
 * the next twice cost 2^20 visits and blocked the event loop for seconds.
 * With `limits`, the walk stops at the first limit exceeded (the measure
 * returned then exceeds it; `found` is what was counted up to that point).
 *
 * Introspection counts like any field: `__typename` for depth, cost and
 * aliases; `__schema`/`__type` and everything below them for aliases,
 * directives and cost (their lists count once: they are bounded by the
 * schema, not by data), while their inner nesting is left to graphql-js's
 * MaxIntrospectionDepthRule (the standard introspection query is 13 deep).
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  config: Pick<LimitsConfig, 'maxPageSize' | 'defaultListSize'>,
  limits?: Omit<QueryLimits, 'maxTokens'>,
): OperationMeasure {
  const rootType =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const measure: OperationMeasure = { depth: 0, aliases: 0, directives: operation.directives?.length ?? 0, cost: 0 };
  /** Fragment summaries, measured as if spread at depth 0 under one parent object; keyed by name and context. */
  const summaries = new Map<string, OperationMeasure>();
  /** Fragments being measured right now: meeting one again is a cycle. */
  const open = new Set<string>();

  const exceeds = (m: OperationMeasure) =>
    !!limits && (m.depth > limits.maxDepth || m.aliases > limits.maxAliases || m.directives > limits.maxDirectives || m.cost > limits.maxCost);

  const argument = (node: { arguments?: readonly { name: { value: string }; value: any }[] }, name: string): unknown => {
    const arg = node.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  };

  const fragmentSummary = (name: string, fragment: FragmentDefinitionNode, sized: boolean, introspection: boolean): OperationMeasure => {
    const key = `${sized ? 1 : 0}${introspection ? 1 : 0}${name}`;
    const known = summaries.get(key);
    if (known) return known;
    // Validation (NoFragmentCycles) refuses cycles before this runs; this guard keeps the walk finite on its own.
    if (open.has(name)) {
      throw new GraphQLError(`Cannot spread fragment "${name}" within itself.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
    }
    open.add(name);
    const summary: OperationMeasure = { depth: 0, aliases: 0, directives: fragment.directives?.length ?? 0, cost: 0 };
    const type = introspection ? undefined : schema.getType(fragment.typeCondition.name.value);
    walk(fragment.selectionSet, type, 0, 1, sized, [], introspection, summary);
    open.delete(name);
    summaries.set(key, summary);
    return summary;
  };

  /** Adds the selections of `set` to `into`; throws `Exceeded` once `into` is over a limit. */
  function walk(
    set: SelectionSetNode,
    parent: GraphQLNamedType | null | undefined,
    depth: number,
    multiplier: number,
    sized: boolean,
    path: string[],
    introspection: boolean,
    into: OperationMeasure,
  ): void {
    for (const selection of set.selections) {
      into.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment) continue;
        const f = fragmentSummary(selection.name.value, fragment, sized, introspection);
        into.directives += f.directives;
        into.aliases += f.aliases;
        into.depth = Math.max(into.depth, introspection ? depth : depth + f.depth);
        into.cost += multiplier * f.cost;
        if (f.oversizedPage && !into.oversizedPage) into.oversizedPage = { path: [...path, ...f.oversizedPage.path], first: f.oversizedPage.first };
        if (exceeds(into)) throw new Exceeded(into);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, type, depth, multiplier, sized, path, introspection, into);
        continue;
      }
      const name = selection.name.value;
      if (selection.alias) into.aliases++;
      const responseKey = selection.alias?.value ?? name;
      // Inside __schema/__type nesting is graphql-js's to bound (MaxIntrospectionDepthRule).
      const fieldDepth = introspection ? depth : depth + 1;
      into.depth = Math.max(into.depth, fieldDepth);
      into.cost += multiplier;
      if (exceeds(into)) throw new Exceeded(into);
      if (!selection.selectionSet) continue;
      if (introspection || name === '__schema' || name === '__type') {
        // Introspection lists are as long as the schema is wide: each field counts once.
        walk(selection.selectionSet, undefined, fieldDepth, multiplier, false, [...path, responseKey], true, into);
        continue;
      }
      const field = fieldOf(parent, name);
      const returnsList = field ? /^\[.*\]!?$/.test(String(field.type)) : false;
      const first = argument(selection, 'first') ?? argument(selection, 'last');
      let size = 1;
      let childSized = false;
      if (typeof first === 'number') {
        if (first > config.maxPageSize && !into.oversizedPage) into.oversizedPage = { path: [...path, responseKey], first };
        size = Math.max(1, Math.min(first, config.maxPageSize));
        childSized = true;
      } else if (returnsList) {
        size = sized && (name === 'nodes' || name === 'edges') ? 1 : config.defaultListSize;
      } else if (field?.args.some((a) => a.name === 'first')) {
        // A connection asked without `first` gets the subgraph's default page.
        size = config.defaultListSize;
        childSized = true;
      }
      const childType = field ? schema.getType(String(field.type).replace(/[[\]!]/g, '')) : undefined;
      walk(selection.selectionSet, childType, fieldDepth, multiplier * size, childSized, [...path, responseKey], false, into);
    }
  }

  try {
    walk(operation.selectionSet, rootType, 0, 1, false, [], false, measure);
    return measure;
  } catch (error) {
    if (error instanceof Exceeded) return error.measure;
    throw error;
  }
}

/** Thrown inside the walk when a limit is exceeded: nothing after it can bring the count back down. */
class Exceeded {
  constructor(readonly measure: OperationMeasure) {}
}

/**
 * Whether any value nests objects and arrays deeper than `max` (a value that
 * is itself an object or array is at depth 1). Iterative on purpose: the
 * values it guards against are the ones deep enough to overflow the stack of
 * a recursive walk. Visits each value at most once, stopping at the first
 * one too deep.
 */
export function nestsDeeperThan(values: Iterable<unknown>, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [];
  for (const value of values) pending.push({ value, depth: 1 });
  while (pending.length) {
    const { value, depth } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/** Anonymous clients get no "Did you mean …?" hints: the schema is not theirs to map. */
export function stripSuggestions(message: string): string {
  return message.replace(/\s*Did you mean .*$/s, '');
}

const limitsFor = (config: LimitsConfig, viewer: Viewer) => (viewer.kind === 'anonymous' ? config.anonymous : config.signedIn);

/**
 * Apollo plugin applying the limits of the asking viewer. Validation rules
 * in Apollo Server are the same for every request (and validated documents
 * are cached), so the per-viewer checks run in `didResolveOperation`: after
 * parsing and validation, before the gateway plans a single subgraph fetch.
 */
export function queryLimits(config: LimitsConfig): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const anonymous = contextValue.viewer.kind === 'anonymous';
      return {
        async validationDidStart() {
          return async (errors) => {
            if (!anonymous || !errors) return;
            for (const error of errors) error.message = stripSuggestions(error.message);
          };
        },
        async didResolveOperation({ request, document, operation, schema, contextValue: ctx }) {
          const limits = limitsFor(config, ctx.viewer);
          const source = document.loc?.source.body ?? request.query ?? '';
          const tokens = countTokens(source, limits.maxTokens);
          if (tokens > limits.maxTokens) throw limitError('maxTokens', limits.maxTokens, tokens, ctx.viewer);
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const measure = measureOperation(schema, operation, fragments, (request.variables ?? {}) as Record<string, unknown>, config, limits);
          if (measure.oversizedPage) {
            const { path, first } = measure.oversizedPage;
            throw new GraphQLError(`\`first\` may be at most ${config.maxPageSize} (asked ${first} at ${path.join('.')}).`, {
              extensions: { code: 'BAD_USER_INPUT', field: [...path, 'first'], http: { status: 400 } },
            });
          }
          if (measure.depth > limits.maxDepth) throw limitError('maxDepth', limits.maxDepth, measure.depth, ctx.viewer);
          if (measure.aliases > limits.maxAliases) throw limitError('maxAliases', limits.maxAliases, measure.aliases, ctx.viewer);
          if (measure.directives > limits.maxDirectives) throw limitError('maxDirectives', limits.maxDirectives, measure.directives, ctx.viewer);
          if (measure.cost > limits.maxCost) throw limitError('maxCost', limits.maxCost, measure.cost, ctx.viewer);
        },
      };
    },
  };
}
