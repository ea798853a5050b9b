import type { FieldClassMap } from '@nguon/shared';

/**
 * The permission class of every field of the catalog graph (docs/permissions.md §4);
 * unlisted fields are denied. Value types reached only through a classified
 * parent field (images, norms, localized text) are OPEN: the parent decided.
 */
export const fieldClasses: FieldClassMap = {
  Query: {
    product: 'OPEN',
    productByGtin: 'OPEN',
    productByInternalCode: 'OPEN',
    products: 'OPEN',
    categories: 'OPEN',
    category: 'OPEN',
    languages: 'OPEN',
    productionArea: 'OPEN',
    productionAreaByCode: 'OPEN',
  },
  // Each mutation checks its target's scope itself (operate / supervise).
  Mutation: {
    createProduct: 'SIGNED_IN',
    updateProduct: 'SIGNED_IN',
    assignGtin: 'SIGNED_IN',
    publishProduct: 'SIGNED_IN',
    withdrawProduct: 'SIGNED_IN',
    addCertification: 'SIGNED_IN',
    removeCertification: 'SIGNED_IN',
    createProductionArea: 'SIGNED_IN',
    setSeasonNorm: 'SIGNED_IN',
    setCropNormTolerance: 'SIGNED_IN',
    grantProductLicence: 'SIGNED_IN',
    revokeProductLicence: 'SIGNED_IN',
  },
  Product: {
    id: 'PUBLIC',
    gtin: 'PUBLIC',
    internalCode: 'PUBLIC',
    name: 'PUBLIC',
    description: 'PUBLIC',
    ingredients: 'PUBLIC',
    usage: 'PUBLIC',
    storageConditions: 'PUBLIC',
    languages: 'PUBLIC',
    category: 'PUBLIC',
    brand: 'PUBLIC',
    images: 'PUBLIC',
    unit: 'PUBLIC',
    netContent: 'PUBLIC',
    shelfLifeDays: 'PUBLIC',
    certifications: 'PUBLIC',
    status: 'PUBLIC',
    publishedAt: 'PUBLIC',
    withdrawnAt: 'PUBLIC',
    owner: 'PUBLIC',
    // Who did what, and the owner's own notes, stay with the owner and its supervisors.
    publishedBy: 'INTERNAL',
    withdrawnBy: 'INTERNAL',
    withdrawnReason: 'INTERNAL',
    internalNote: 'INTERNAL',
    createdBy: 'INTERNAL',
    createdAt: 'INTERNAL',
    updatedAt: 'INTERNAL',
    // Who may make lots of the product is the owner's business arrangement.
    licences: 'INTERNAL',
  },
  // Reached through Product.licences (INTERNAL) or the payload of the ADMIN who just wrote it.
  ProductLicence: { id: 'OPEN', licensee: 'OPEN', grantedAt: 'OPEN', grantedBy: 'OPEN', revokedAt: 'OPEN', revokedBy: 'OPEN' },
  Certification: {
    id: 'PUBLIC',
    scheme: 'PUBLIC',
    schemeName: 'PUBLIC',
    issuer: 'PUBLIC',
    number: 'PUBLIC',
    stars: 'PUBLIC',
    validFrom: 'PUBLIC',
    validTo: 'PUBLIC',
    documentUrl: 'PUBLIC',
    status: 'PUBLIC',
  },
  ProductImage: { url: 'OPEN', alt: 'OPEN' },
  ProductionArea: {
    id: 'PUBLIC',
    code: 'PUBLIC',
    name: 'PUBLIC',
    crop: 'PUBLIC',
    hectares: 'PUBLIC',
    location: 'PUBLIC',
    owner: 'PUBLIC',
    // Issue 15: the consumer page names where the produce grew and what the area is certified for.
    commune: 'PUBLIC',
    // Issue 19: an area's SGLN is its public location identity, printed in EPCIS and FSMA 204 exports.
    gln: 'PUBLIC',
    glnExtension: 'PUBLIC',
    sgln: 'PUBLIC',
    certifications: 'PUBLIC',
    // Inputs and expected yields are the producer's planning data.
    norms: 'INTERNAL',
  },
  // The tolerance carries the area's scope: INTERNAL on its own, not only through `norms`.
  SeasonNorm: { season: 'OPEN', inputs: 'OPEN', expectedYieldPerHectare: 'OPEN', yieldUnit: 'OPEN', tolerance: 'INTERNAL' },
  // Returned only to the department/city overseer who set it.
  CropNormTolerance: { crop: 'OPEN', tolerance: 'OPEN', updatedAt: 'OPEN' },
  InputNorm: { input: 'OPEN', quantityPerHectare: 'OPEN', unit: 'OPEN' },
  GeoPoint: { latitude: 'OPEN', longitude: 'OPEN' },
  // Reference data: the same for everyone.
  Category: { code: 'OPEN', name: 'OPEN', sector: 'OPEN', parent: 'OPEN', children: 'OPEN' },
  Language: { tag: 'OPEN', name: 'OPEN' },
  // A representation from the gateway: only its key, no scope of its own;
  // `products` filters what the viewer may see.
  Organization: { id: 'OPEN', products: 'OPEN', productionAreas: 'OPEN' },
  ProductConnection: { edges: 'OPEN', nodes: 'OPEN', pageInfo: 'OPEN', totalCount: 'OPEN' },
  ProductEdge: { node: 'OPEN', cursor: 'OPEN' },
  ProductionAreaConnection: { edges: 'OPEN', nodes: 'OPEN', pageInfo: 'OPEN', totalCount: 'OPEN' },
  ProductionAreaEdge: { node: 'OPEN', cursor: 'OPEN' },
  PageInfo: { hasNextPage: 'OPEN', hasPreviousPage: 'OPEN', startCursor: 'OPEN', endCursor: 'OPEN' },
  LocalizedText: { text: 'OPEN', lang: 'OPEN', fallback: 'OPEN' },
  Gs1Key: { epcUrn: 'OPEN', digitalLink: 'OPEN' },
  ProductPayload: { product: 'OPEN' },
  CertificationPayload: { certification: 'OPEN', product: 'OPEN' },
  ProductionAreaPayload: { productionArea: 'OPEN' },
  ProductLicencePayload: { licence: 'OPEN', product: 'OPEN' },
  CropNormTolerancePayload: { cropNormTolerance: 'OPEN' },
};
