import type { Database } from '@nguon/shared';
import { stableId } from '@nguon/shared';
import { AREA_DETAILS, AREAS, demoImages, PRODUCTS, type DemoProductCategory } from '@nguon/demo/cantho';
import { demoAreaGln, demoGtin, demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/demo/ids';
import { areaCertifications, certifications, productionAreas, productLicences, products, seasonNorms, type InputNormData, type TextMap } from './db/schema';
import { allCategories } from './data/reference';
import { searchTextOf } from './search';

/** Every ninth demo product stays a draft, so the permission tree has something to hide. */
export const isDemoDraft = (index: number) => index % 9 === 8;

/** Storage advice per category, so consumer pages show it and English falls back where missing. */
const STORAGE: Partial<Record<DemoProductCategory, TextMap>> = {
  rice: { vi: 'Bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.', en: 'Store in a cool, dry place away from direct sunlight.' },
  seafood: { vi: 'Bảo quản đông lạnh ở -18 °C hoặc thấp hơn.', en: 'Keep frozen at -18 °C or below.' },
  fruit: { vi: 'Bảo quản nơi thoáng mát hoặc ngăn mát tủ lạnh.' },
  processed_food: { vi: 'Bảo quản nơi khô ráo, thoáng mát; sau khi mở bao bì nên dùng hết trong 7 ngày.' },
  beverage: { vi: 'Bảo quản nơi khô ráo, thoáng mát; ngon hơn khi uống lạnh.', en: 'Store in a cool, dry place; best served chilled.' },
  functional_food: { vi: 'Bảo quản nơi khô ráo, dưới 30 °C, tránh xa tầm tay trẻ em.' },
  cosmetics: { vi: 'Bảo quản nơi khô ráo, tránh ánh nắng trực tiếp.' },
};

/** Norms per hectare for the rice areas' two main seasons: the figures extension officers publish for the Mekong delta. */
const RICE_INPUTS: InputNormData[] = [
  { input: 'Lúa giống xác nhận', quantityPerHectare: 100, unit: 'KGM' },
  { input: 'Urê', quantityPerHectare: 180, unit: 'KGM' },
  { input: 'DAP', quantityPerHectare: 100, unit: 'KGM' },
  { input: 'Kali clorua', quantityPerHectare: 80, unit: 'KGM' },
];
const RICE_SEASONS: { season: string; yieldTonnes: number }[] = [
  { season: 'Đông Xuân 2025-2026', yieldTonnes: 7.2 },
  { season: 'Hè Thu 2026', yieldTonnes: 5.8 },
];

export async function seedCatalog(db: Database): Promise<void> {
  // The category tree is reference data from the migrations; read it for the search text.
  const categoryNames = new Map((await allCategories(db)).map((c) => [c.code, c.name]));
  const productRows = PRODUCTS.map((p, index) => {
    const name: TextMap = { vi: p.nameVi, ...(p.nameEn ? { en: p.nameEn } : {}) };
    const description: TextMap = { vi: p.descriptionVi, ...(p.descriptionEn ? { en: p.descriptionEn } : {}) };
    const gtin = demoGtin(p);
    const published = !isDemoDraft(index);
    const internalCode = `NG-${stableId('internal-code', gtin).slice(0, 8).toUpperCase()}`;
    return {
      id: demoProductId(p),
      ownerId: demoOrgId(demoPaths.operator(demoOperator(p.operator))),
      gtin,
      internalCode,
      category: p.category,
      name,
      description,
      storageConditions: STORAGE[p.category] ?? {},
      brand: p.brand,
      images: demoImages(p),
      unit: p.unit,
      netContent: String(p.netContent),
      shelfLifeDays: p.shelfLifeDays,
      status: published ? 'PUBLISHED' : 'DRAFT',
      publishedAt: published ? new Date('2025-01-15T08:00:00+07:00') : null,
      searchText: searchTextOf({ name, brand: p.brand, gtin, internalCode, categoryCode: p.category, categoryName: categoryNames.get(p.category) ?? {} }),
    };
  });
  await db.insert(products).values(productRows);

  const certificationRows = PRODUCTS.flatMap((p) =>
    p.certifications.map((c) => ({
      id: stableId('certification', `${demoProductId(p)}/${c.scheme}/${c.number}`),
      productId: demoProductId(p),
      scheme: c.scheme,
      issuer: c.issuer,
      number: c.number,
      stars: c.stars ?? null,
      validFrom: c.validFrom,
      validTo: c.validTo,
    })),
  );
  if (certificationRows.length) await db.insert(certifications).values(certificationRows);

  await db.insert(productionAreas).values(
    AREAS.map((a) => ({
      id: demoAreaId(a.code),
      ownerId: demoOrgId(demoPaths.operator(demoOperator(a.operator))),
      code: a.code,
      name: { vi: a.nameVi, en: a.nameEn },
      crop: a.crop,
      hectares: String(a.hectares),
      latitude: a.lat,
      longitude: a.lng,
      commune: AREA_DETAILS[a.code]?.commune ?? null,
      gln: demoAreaGln(a),
    })),
  );
  const areaCertificationRows = AREAS.flatMap((a) =>
    (AREA_DETAILS[a.code]?.certifications ?? []).map((c) => ({
      id: stableId('area-certification', `${a.code}/${c.scheme}/${c.number}`),
      areaId: demoAreaId(a.code),
      scheme: c.scheme,
      issuer: c.issuer,
      number: c.number,
      validFrom: c.validFrom,
      validTo: c.validTo,
    })),
  );
  if (areaCertificationRows.length) await db.insert(areaCertifications).values(areaCertificationRows);
  const riceAreas = AREAS.filter((a) => a.crop.startsWith('Lúa'));
  await db.insert(seasonNorms).values(
    riceAreas.flatMap((a) =>
      RICE_SEASONS.map((s) => ({
        id: stableId('season-norm', `${a.code}/${s.season}`),
        areaId: demoAreaId(a.code),
        season: s.season,
        inputs: RICE_INPUTS,
        expectedYieldPerHectare: String(s.yieldTonnes * 1000),
        yieldUnit: 'KGM',
      })),
    ),
  );

  // The Thốt Nốt food-grain company packs the Thới Thuận cooperative's ST25 into
  // its 2 kg bags under licence: a contract packer creating lots of another's product.
  const bagged = PRODUCTS.find((p) => p.operator === 'htx_lua_thoi_thuan' && p.itemRef === '003');
  if (bagged) {
    await db.insert(productLicences).values({
      id: stableId('product-licence', `${demoProductId(bagged)}/ct_luong_thuc_thot_not`),
      productId: demoProductId(bagged),
      licenseeId: demoOrgId(demoPaths.operator(demoOperator('ct_luong_thuc_thot_not'))),
      grantedBy: 'demo-seed',
      grantedAt: new Date('2025-01-15T08:00:00+07:00'),
    });
  }
}

/** Stable id of a demo production area, so other services' seeds can point at it. */
export const demoAreaId = (code: string) => stableId('production-area', code);
