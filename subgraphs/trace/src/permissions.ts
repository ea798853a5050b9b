import type { FieldClassMap } from '@nguon/shared';

/**
 * The permission class of every field of the trace graph (DESIGN.md §3);
 * unlisted fields are denied.
 *
 * Events: what a consumer timeline shows is PUBLIC (step, disposition,
 * time, place, certifications, who recorded it, the hashes that prove it);
 * quantities in stock, counterparties, business transactions, ilmd and raw
 * sensor data are INTERNAL to the capturing organization and its supervisors.
 * Types reached only through an already-checked parent field (timeline
 * entries, quantity elements, recall lots) are OPEN plumbing.
 */
export const fieldClasses: FieldClassMap = {
  Query: { lot: 'OPEN', lots: 'OPEN', event: 'OPEN', trace: 'OPEN', recall: 'OPEN', verifyChain: 'SIGNED_IN' },
  Mutation: {
    createLot: 'SIGNED_IN',
    publishLot: 'SIGNED_IN',
    captureEvents: 'SIGNED_IN',
    openRecall: 'SIGNED_IN',
    recordRecallRecovery: 'SIGNED_IN',
    closeRecall: 'SIGNED_IN',
  },
  Lot: {
    id: 'PUBLIC',
    lotCode: 'PUBLIC',
    product: 'PUBLIC',
    owner: 'PUBLIC',
    season: 'PUBLIC',
    unit: 'PUBLIC',
    producedOn: 'PUBLIC',
    expiresOn: 'PUBLIC',
    status: 'PUBLIC',
    productionAreaId: 'PUBLIC',
    timeline: 'PUBLIC',
    activeRecall: 'PUBLIC',
    quantity: 'INTERNAL',
  },
  TraceEvent: {
    id: 'PUBLIC',
    eventID: 'PUBLIC',
    eventHash: 'PUBLIC',
    type: 'PUBLIC',
    action: 'PUBLIC',
    bizStep: 'PUBLIC',
    bizStepLabel: 'PUBLIC',
    disposition: 'PUBLIC',
    dispositionLabel: 'PUBLIC',
    eventTime: 'PUBLIC',
    eventTimeZoneOffset: 'PUBLIC',
    localEventTime: 'PUBLIC',
    recordTime: 'PUBLIC',
    readPoint: 'PUBLIC',
    bizLocation: 'PUBLIC',
    organization: 'PUBLIC',
    certificationInfo: 'PUBLIC',
    errorDeclaration: 'PUBLIC',
    quantities: 'INTERNAL',
    parentLotId: 'INTERNAL',
    inputs: 'INTERNAL',
    outputs: 'INTERNAL',
    sourceParties: 'INTERNAL',
    destinationParties: 'INTERNAL',
    bizTransactions: 'INTERNAL',
    ilmd: 'INTERNAL',
    sensorReadings: 'INTERNAL',
    sequence: 'INTERNAL',
    previousHash: 'INTERNAL',
    chainHash: 'INTERNAL',
  },
  ErrorDeclaration: { declarationTime: 'OPEN', reason: 'OPEN', correctedEventID: 'OPEN' },
  QuantityElement: { lotId: 'OPEN', lot: 'OPEN', quantity: 'OPEN', unit: 'OPEN' },
  EventParty: { type: 'OPEN', organization: 'OPEN' },
  BizTransaction: { type: 'OPEN', id: 'OPEN' },
  // Built only from PUBLIC event fields, under Lot.timeline which is checked.
  TimelineEntry: {
    eventID: 'OPEN',
    type: 'OPEN',
    bizStep: 'OPEN',
    bizStepLabel: 'OPEN',
    disposition: 'OPEN',
    dispositionLabel: 'OPEN',
    lang: 'OPEN',
    eventTime: 'OPEN',
    localEventTime: 'OPEN',
    readPoint: 'OPEN',
    bizLocation: 'OPEN',
    organization: 'OPEN',
    certificationInfo: 'OPEN',
    corrects: 'OPEN',
    correctedBy: 'OPEN',
  },
  // Query.trace starts only from a visible lot; hidden lots resolve to null; custody is filtered per viewer.
  TraceResult: { start: 'OPEN', direction: 'OPEN', maxDepth: 'OPEN', lots: 'OPEN', edges: 'OPEN', custody: 'OPEN' },
  TracedLot: { id: 'OPEN', depth: 'OPEN', lot: 'OPEN' },
  GenealogyEdge: { parentLotId: 'OPEN', childLotId: 'OPEN', kind: 'OPEN', eventID: 'OPEN' },
  CustodyHop: { lotId: 'OPEN', from: 'OPEN', to: 'OPEN', bizStep: 'OPEN', quantity: 'OPEN', unit: 'OPEN', eventID: 'OPEN', eventTime: 'OPEN' },
  // The warning is public; who holds what and how much came back is for the recalling side.
  Recall: {
    id: 'PUBLIC',
    reason: 'PUBLIC',
    severity: 'PUBLIC',
    status: 'PUBLIC',
    openedAt: 'PUBLIC',
    closedAt: 'PUBLIC',
    rootLots: 'PUBLIC',
    affectedLots: 'INTERNAL',
    affectedLotCount: 'INTERNAL',
    holders: 'INTERNAL',
    progress: 'INTERNAL',
  },
  RecallLot: { lotId: 'OPEN', lot: 'OPEN', holder: 'OPEN', root: 'OPEN', quantityHeld: 'OPEN', quantityRecovered: 'OPEN', unit: 'OPEN' },
  // verifyChain itself checks the viewer may read the organization's internals.
  ChainVerification: { organization: 'OPEN', valid: 'OPEN', eventCount: 'OPEN', firstBrokenEventID: 'OPEN', firstBrokenSequence: 'OPEN', problem: 'OPEN' },
  LotPayload: { lot: 'OPEN' },
  CaptureEventsPayload: { events: 'OPEN', createdCount: 'OPEN', duplicateCount: 'OPEN' },
  RecallPayload: { recall: 'OPEN' },
  // Representations from the gateway carry only their key; the lists filter by visibility.
  Product: { id: 'OPEN', lots: 'OPEN' },
  Organization: { id: 'OPEN', lots: 'OPEN' },
  LotConnection: { edges: 'OPEN', nodes: 'OPEN', pageInfo: 'OPEN', totalCount: 'OPEN' },
  LotEdge: { node: 'OPEN', cursor: 'OPEN' },
  PageInfo: { hasNextPage: 'OPEN', hasPreviousPage: 'OPEN', startCursor: 'OPEN', endCursor: 'OPEN' },
};
