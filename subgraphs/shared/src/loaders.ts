import DataLoader from 'dataloader';

/**
 * A loader by primary key: one query for all ids asked in a tick, answers in
 * key order, null for ids that do not exist.
 */
export function byIdLoader<R>(fetch: (ids: readonly string[]) => Promise<R[]>, idOf: (row: R) => string): DataLoader<string, R | null> {
  return new DataLoader<string, R | null>(async (ids) => {
    const rows = await fetch(ids);
    const map = new Map(rows.map((row) => [idOf(row), row]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/**
 * A loader for a per-parent list with arguments (`Product.lots(first: 5)`
 * on 100 products): keys with the same arguments share one query, so a page of
 * N parents costs one statement, not N.
 */
export function groupedLoader<A, R>(
  fetch: (parentIds: readonly string[], args: A) => Promise<Map<string, R>>,
  empty: () => R,
): DataLoader<{ id: string; args: A }, R, string> {
  return new DataLoader<{ id: string; args: A }, R, string>(
    async (keys) => {
      const groups = new Map<string, { args: A; ids: string[] }>();
      for (const key of keys) {
        const signature = JSON.stringify(key.args);
        const group = groups.get(signature) ?? { args: key.args, ids: [] };
        group.ids.push(key.id);
        groups.set(signature, group);
      }
      const results = new Map<string, R>();
      await Promise.all(
        [...groups.entries()].map(async ([signature, group]) => {
          const found = await fetch(group.ids, group.args);
          for (const id of group.ids) results.set(`${signature}|${id}`, found.get(id) ?? empty());
        }),
      );
      return keys.map((key) => results.get(`${JSON.stringify(key.args)}|${key.id}`)!);
    },
    { cacheKeyFn: (key) => `${JSON.stringify(key.args)}|${key.id}` },
  );
}
