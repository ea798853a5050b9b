import { asc } from 'drizzle-orm';
import type { Database } from '@nguon/shared';
import { categories, languages } from '../db/schema';
import type { CategoryModel, LanguageModel, SectorValue } from '../models';

/** The whole category tree, parents before children (path order). A few dozen rows: read at once. */
export async function allCategories(db: Database): Promise<CategoryModel[]> {
  const rows = await db.select().from(categories).orderBy(asc(categories.path));
  return rows.map((r) => ({ ...r, sector: r.sector as SectorValue }));
}

export async function allLanguages(db: Database): Promise<LanguageModel[]> {
  return db.select({ tag: languages.tag, name: languages.name }).from(languages).orderBy(asc(languages.position), asc(languages.tag));
}
