import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from './errors';

/** NUL, or half of a surrogate pair: neither can be stored as PostgreSQL text (UTF-8). */
// eslint-disable-next-line no-control-regex -- PostgreSQL cannot store NUL, so it is matched on purpose
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where the first unstorable character hides in a variable value, as a field path; undefined if nowhere. */
function nulPath(value: unknown, path: (string | number)[]): (string | number)[] | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(key, [...path, key]) ?? nulPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

const hasNulLiteral = (document: DocumentNode) => {
  let found = false;
  visit(document, { [Kind.STRING]: (node) => void (found ||= UNSTORABLE.test(node.value)) });
  return found;
};

/**
 * PostgreSQL cannot store U+0000, or a lone UTF-16 surrogate, in text or
 * jsonb: a write carrying one fails inside the database as an internal error.
 * No field has a use for either, so the operation is refused up front with
 * BAD_USER_INPUT naming the field.
 */
export const rejectNulCharacters: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document }) {
        const path = nulPath(request.variables ?? {}, []);
        if (!path && !hasNulLiteral(document)) return;
        throw new GraphQLError('Text cannot contain the NUL character (U+0000) or half of a surrogate pair.', {
          extensions: { code: ErrorCode.BAD_USER_INPUT, ...(path ? { field: path } : {}), http: { status: 400 } },
        });
      },
    };
  },
};
