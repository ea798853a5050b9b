import { foldVietnamese, type TextMap } from '@nguon/shared';

/**
 * The accent-free text a product is found by: its names in every language,
 * brand, category names and identifiers. Kept in a column so a search is a
 * plain substring scan that runs the same on PGlite and PostgreSQL.
 */
export function searchTextOf(product: {
  name: TextMap;
  brand: string | null;
  gtin: string | null;
  internalCode: string;
  categoryCode: string;
  categoryName: TextMap;
}): string {
  return foldVietnamese(
    [
      ...Object.values(product.name),
      product.brand ?? '',
      product.categoryCode.replace(/_/g, ' '),
      ...Object.values(product.categoryName),
      product.gtin ?? '',
      product.internalCode,
    ].join(' '),
  );
}

/** Query words, folded the same way; at most 8 distinct words of the first 200 characters. */
export function searchTokens(query: string): string[] {
  return [
    ...new Set(
      foldVietnamese(query.slice(0, 200))
        .split(/[^a-z0-9]+/)
        .filter(Boolean),
    ),
  ].slice(0, 8);
}
