import { badInput, canOperate, conflict, forbidden, inTransaction, isLanguageTag, isUuid, lotCodeProblem, notFound, type Viewer } from '@nguon/shared';
import { digitalLinkUri } from '@nguon/gs1/digitallink/parse';
import { QR_LIMITS, qrCode } from '@nguon/gs1/digitallink/qr';
import type { Context } from '../context';
import { coarsePlace, issueSerials, recordScan, serialsTaken, verifyItem } from '../data/consumer';
import type { LotModel } from '../models';
import { PUBLIC_LOT_STATUSES } from '../models';
import { checkSerial, visibleLot } from './visibility';

export interface ConsumerOptions {
  /** Base URL of the public resolver, e.g. https://check.cantho.gov.vn; read when a URI is built. */
  publicBaseUrl: () => string;
  /** Key of the verification-code HMAC. */
  verificationSecret: string;
}

/** A lot reached through `_entities` with the GTIN the gateway fetched for `@requires(fields: "product { gtin }")`. */
type LotWithGtin = LotModel & { product?: { gtin?: string | null } | null };

const isPublicLot = (lot: LotModel) => PUBLIC_LOT_STATUSES.includes(lot.status);

function checkCoordinates(latitude: number | null | undefined, longitude: number | null | undefined) {
  if ((latitude === null || latitude === undefined) !== (longitude === null || longitude === undefined)) {
    throw badInput('Give both latitude and longitude, or neither.', 'input.latitude');
  }
  if (latitude !== null && latitude !== undefined && (Math.abs(latitude) > 90 || Math.abs(longitude!) > 180)) {
    throw badInput('Latitude is within ±90 and longitude within ±180.', 'input.latitude');
  }
  return coarsePlace(latitude, longitude);
}

async function publicLot(ctx: Context, lotId: string, viewer: Viewer): Promise<LotModel | null> {
  const lot = isUuid(lotId) ? visibleLot(viewer, await ctx.loaders.lot.load(lotId)) : null;
  return lot && isPublicLot(lot) ? lot : null;
}

/** The consumer-edge fields and mutations of the trace graph (issue 6). */
export function consumerResolvers(options: ConsumerOptions) {
  const uriOf = (lot: LotWithGtin, serial: string | null) => {
    const gtin = lot.product?.gtin;
    return gtin ? digitalLinkUri(options.publicBaseUrl(), { gtin, lot: lot.lotCode, serial, expiresOn: lot.expiresOn }) : null;
  };
  return {
    Product: {
      lot: async (product: { id: string }, { code }: { code: string }, ctx: Context) => {
        if (!isUuid(product.id) || lotCodeProblem(code)) return null;
        return visibleLot(ctx.viewer, await ctx.loaders.lotByCode.load({ productId: product.id, lotCode: code }));
      },
    },
    Lot: {
      productionArea: (lot: LotModel) => (lot.productionAreaId ? { id: lot.productionAreaId } : null),
      digitalLink: (lot: LotWithGtin, { serial }: { serial?: string | null }) => uriOf(lot, checkSerial(serial, 'serial')),
      qr: async (lot: LotWithGtin, args: { format: 'SVG' | 'PNG'; size: number; errorCorrection: 'L' | 'M' | 'Q' | 'H'; serial?: string | null }) => {
        if (!Number.isInteger(args.size) || args.size < QR_LIMITS.minSize || args.size > QR_LIMITS.maxSize) {
          throw badInput(`A QR code is ${QR_LIMITS.minSize}–${QR_LIMITS.maxSize} wide.`, 'size');
        }
        const uri = uriOf(lot, checkSerial(args.serial, 'serial'));
        if (!uri) return null;
        const image = await qrCode(uri, { format: args.format, size: args.size, errorCorrection: args.errorCorrection });
        return {
          uri,
          format: args.format,
          contentType: image.contentType,
          data: args.format === 'SVG' ? image.body.toString('utf8') : image.body.toString('base64'),
          size: args.size,
        };
      },
      lastChangedAt: async (lot: LotModel, _args: unknown, ctx: Context) => ctx.loaders.lastChangedAt.load(lot.id),
      scans: (lot: LotModel, _args: unknown, ctx: Context) => ctx.loaders.scans.load(lot.id),
      suspiciousItems: (lot: LotModel, _args: unknown, ctx: Context) => ctx.loaders.suspiciousItems.load(lot.id),
    },
    Mutation: {
      recordScan: async (
        _root: unknown,
        {
          input,
        }: { input: { lotId: string; serial?: string | null; lang: string; latitude?: number | null; longitude?: number | null; scanId?: string | null } },
        ctx: Context,
      ) => {
        const serial = checkSerial(input.serial, 'input.serial');
        if (!isLanguageTag(input.lang)) throw badInput('`lang` is a BCP 47 language tag.', 'input.lang');
        const place = checkCoordinates(input.latitude, input.longitude);
        if (input.scanId !== null && input.scanId !== undefined && !isUuid(input.scanId)) throw badInput('Not a scan id.', 'input.scanId');
        const lot = await publicLot(ctx, input.lotId, ctx.viewer);
        // Scans are of public lots only; anything else is not recorded, and says no more.
        if (!lot) return { recorded: false, scanId: null };
        const scanId = await inTransaction(ctx.db, (tx) =>
          recordScan(tx, { lotId: lot.id, serial, lang: input.lang.toLowerCase(), place, followUp: input.scanId?.toLowerCase() ?? null }),
        );
        return { recorded: true, scanId };
      },
      verifyItem: async (
        _root: unknown,
        { input }: { input: { lotId: string; serial: string; code: string; latitude?: number | null; longitude?: number | null } },
        ctx: Context,
      ) => {
        const serial = checkSerial(input.serial, 'input.serial')!;
        if (input.code.length === 0 || input.code.length > 32) throw badInput('A verification code has 1–32 characters.', 'input.code');
        const place = checkCoordinates(input.latitude, input.longitude);
        const lot = await publicLot(ctx, input.lotId, ctx.viewer);
        if (!lot) return { result: 'UNKNOWN_ITEM' as const, firstVerifiedAt: null, firstVerifiedPlace: null };
        return inTransaction(ctx.db, (tx) => verifyItem(tx, options.verificationSecret, { lotId: lot.id, serial, code: input.code, place }));
      },
      issueSerials: async (
        _root: unknown,
        { input }: { input: { lotId: string; from: number; to: number; verificationCodes?: boolean | null } },
        ctx: Context,
      ) => {
        const lot = isUuid(input.lotId) ? visibleLot(ctx.viewer, await ctx.loaders.lot.load(input.lotId)) : null;
        if (!lot) throw notFound('The lot');
        if (!canOperate(ctx.viewer, lot.scope.path, 'trace:write')) throw forbidden(`Only STAFF or ADMIN of ${lot.scope.path} may issue its serials.`);
        if (!Number.isInteger(input.from) || input.from < 1) throw badInput('`from` is a positive integer.', 'input.from');
        if (!Number.isInteger(input.to) || input.to < input.from) throw badInput('`to` is at least `from`.', 'input.to');
        if (input.to - input.from + 1 > 5000) throw badInput('At most 5 000 serials per call.', 'input.to');
        if (String(input.to).length > 20) throw badInput('A serial number has at most 20 characters.', 'input.to');
        const serials = Array.from({ length: input.to - input.from + 1 }, (_, i) => String(input.from + i));
        const issued = await inTransaction(ctx.db, async (tx) => {
          const taken = await serialsTaken(tx, lot.id, serials);
          if (taken.length) throw conflict(`Serials already issued for this lot: ${taken.slice(0, 5).join(', ')}${taken.length > 5 ? '…' : ''}.`, 'input.from');
          return issueSerials(tx, options.verificationSecret, lot.id, serials, input.verificationCodes !== false);
        });
        return { serials: issued.map((s) => ({ serial: s.serial, verificationCode: s.code })) };
      },
    },
  };
}
