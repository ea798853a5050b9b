import { badInput } from './errors';

/** Largest page any list field returns; asking for more is an error, not a silent cap. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 0) throw badInput('`first` must be a non-negative integer.', 'first');
  if (first > max) throw badInput(`\`first\` may be at most ${max}.`, 'first');
  return first;
}

export const encodeCursor = (key: string) => Buffer.from(`c:${key}`).toString('base64url');

export function decodeCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('c:') || text.length < 3) throw badInput('`after` is not a cursor this API gave out.', 'after');
  return text.slice(2);
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Called by the default resolver only when a client asks for it. */
  totalCount: () => Promise<number> | number;
}

/** `rows` was fetched with `limit + 1` so the extra row tells whether a next page exists. */
export function toConnection<T>(rows: T[], limit: number, keyOf: (row: T) => string, totalCount: () => Promise<number> | number): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
