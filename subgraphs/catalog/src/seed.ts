import type { Database } from '@nguon/shared';
import { foldVietnamese, stableId } from '@nguon/shared';
import { PRODUCTS } from '@nguon/shared/demo/cantho';
import { demoGtin, demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/shared/demo/ids';
import { products } from './db/schema';

/** Every ninth demo product stays a draft, so the permission tree has something to hide. */
export const isDemoDraft = (index: number) => index % 9 === 8;

export async function seedCatalog(db: Database): Promise<void> {
  await db.insert(products).values(
    PRODUCTS.map((p, index) => {
      const name: Record<string, string> = { vi: p.nameVi, ...(p.nameEn ? { en: p.nameEn } : {}) };
      const description: Record<string, string> = { vi: p.descriptionVi, ...(p.descriptionEn ? { en: p.descriptionEn } : {}) };
      const gtin = demoGtin(p);
      const published = !isDemoDraft(index);
      return {
        id: demoProductId(p),
        ownerId: demoOrgId(demoPaths.operator(demoOperator(p.operator))),
        gtin,
        internalCode: `NG-${stableId('internal-code', gtin).slice(0, 8).toUpperCase()}`,
        category: p.category,
        name,
        description,
        brand: p.brand,
        unit: p.unit,
        netContent: String(p.netContent),
        shelfLifeDays: p.shelfLifeDays,
        status: published ? 'PUBLISHED' : 'DRAFT',
        publishedAt: published ? new Date('2025-01-15T08:00:00+07:00') : null,
        searchText: foldVietnamese([p.nameVi, p.nameEn ?? '', p.brand, p.category].join(' ')),
      };
    }),
  );
}
