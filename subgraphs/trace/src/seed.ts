import { stableId, type Database } from '@nguon/shared';
import { PRODUCTS } from '@nguon/shared/demo/cantho';
import { between, seededRandom } from '@nguon/shared/demo/random';
import { demoOperator, demoOrgId, demoPaths, demoProductId } from '@nguon/shared/demo/ids';
import { lots } from './db/schema';

/** Mekong Delta rice seasons: winter–spring, summer–autumn, autumn–winter, with their harvest months. */
const SEASONS = [
  { code: 'DX', name: 'Đông Xuân', harvestMonth: 2 },
  { code: 'HT', name: 'Hè Thu', harvestMonth: 7 },
  { code: 'TD', name: 'Thu Đông', harvestMonth: 10 },
] as const;

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Lots for every demo product: seasonal crops one lot per season over the
 * last two years, other products a lot every couple of months. Mostly
 * published; a few drafts and one recalled lot.
 */
export async function seedTrace(db: Database): Promise<void> {
  const random = seededRandom(20260301);
  const rows: (typeof lots.$inferInsert)[] = [];
  PRODUCTS.forEach((product, index) => {
    const owner = demoOrgId(demoPaths.operator(demoOperator(product.operator)));
    const productId = demoProductId(product);
    const count = product.seasonal ? 6 : between(random, 2, 5);
    for (let n = 0; n < count; n++) {
      let produced: Date;
      let season: string | null = null;
      let code: string;
      if (product.seasonal) {
        const s = SEASONS[n % 3]!;
        const year = 2024 + Math.floor(n / 3) + (s.code === 'DX' ? 1 : 0);
        produced = new Date(Date.UTC(year, s.harvestMonth - 1, between(random, 1, 28)));
        season = s.code === 'DX' ? `${s.name} ${year - 1}-${year}` : `${s.name} ${year}`;
        code = `${s.code}${String(year).slice(2)}-${String(index + 1).padStart(3, '0')}`;
      } else {
        produced = new Date(Date.UTC(2025, n * 2 + between(random, 0, 1), between(random, 1, 28)));
        code = `L${iso(produced).replace(/-/g, '').slice(2)}-${String(n + 1).padStart(2, '0')}`;
      }
      const expires = new Date(produced.getTime() + product.shelfLifeDays * 86_400_000);
      const status = index % 9 === 8 ? 'DRAFT' : n === count - 1 && index % 7 === 3 ? 'DRAFT' : index === 4 && n === 0 ? 'RECALLED' : 'PUBLISHED';
      rows.push({
        id: stableId('lot', `${productId}/${code}`),
        lotCode: code,
        productId,
        ownerId: owner,
        season,
        quantity: String(product.unit === 'KGM' ? between(random, 200, 8000) : between(random, 100, 3000)),
        unit: product.unit === 'KGM' || product.unit === 'LTR' ? product.unit : 'H87',
        producedOn: iso(produced),
        expiresOn: iso(expires),
        status,
      });
    }
  });
  await db.insert(lots).values(rows);
}
