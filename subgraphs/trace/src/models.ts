import type { Scoped } from '@nguon/shared';

export type LotStatusValue = 'DRAFT' | 'PUBLISHED' | 'RECALLED' | 'CLOSED' | 'UNDER_REVIEW' | 'REJECTED';
/**
 * Lots consumers may see: a recalled lot stays visible so its warning is seen.
 * UNDER_REVIEW and REJECTED are deliberately absent: a lot held against its
 * season norm is INTERNAL until an overseer approves it (docs/write-authority.md).
 */
export const PUBLIC_LOT_STATUSES: readonly LotStatusValue[] = ['PUBLISHED', 'RECALLED', 'CLOSED'];

/** What the last plausibility check of a lot against its area's season norm found (trace.lots.norm_check). */
export interface NormCheckModel {
  areaId: string;
  season: string;
  /** False when the area has no norm for the season: the lot was not checked. */
  checked: boolean;
  hectares: number | null;
  yieldPerHectare: number | null;
  tolerance: number | null;
  /** hectares × yieldPerHectare × (1 + tolerance), in `unit`. */
  capacity: number | null;
  /** Other lots of the area and season (REJECTED excluded), in `unit`. */
  alreadyClaimed: number | null;
  /** This lot's quantity, in `unit`. */
  requested: number | null;
  /** alreadyClaimed + requested. */
  claimed: number | null;
  unit: string | null;
  exceeded: boolean;
}

export type LotAuditAction = 'CREATED' | 'PUBLISHED' | 'CORRECTED' | 'HELD_FOR_REVIEW' | 'APPROVED' | 'REJECTED';

export interface LotAuditModel {
  id: string;
  lotId: string;
  action: LotAuditAction;
  actorId: string | null;
  actorKind: string | null;
  at: Date;
  reason: string | null;
  detail: unknown;
}

export interface LotModel extends Scoped {
  id: string;
  lotCode: string;
  productId: string;
  ownerId: string;
  season: string | null;
  quantity: number;
  unit: string;
  producedOn: string | null;
  expiresOn: string | null;
  status: LotStatusValue;
  productionAreaId: string | null;
  normCheck: NormCheckModel | null;
  publishOnApproval: boolean;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
}

export interface ProductRef {
  id: string;
}
export interface OrganizationRef {
  id: string;
}

export type EventTypeValue = 'OBJECT_EVENT' | 'AGGREGATION_EVENT' | 'TRANSFORMATION_EVENT' | 'TRANSACTION_EVENT' | 'ASSOCIATION_EVENT';
export type EventActionValue = 'ADD' | 'OBSERVE' | 'DELETE';

/**
 * A quantity of one of our lots (lotId) or of a class that is not one
 * (epcClass alone: a GTIN class, an unregistered lot, any URI). A lot's
 * epcClass is its LGTIN at capture time (canonical Digital Link), when its
 * product has a GTIN: the identifier the event hash was computed over.
 */
export interface QuantityElementModel {
  lotId?: string;
  epcClass?: string;
  quantity: number | null;
  unit: string | null;
}
/** A quantity element naming one of our lots. */
export type LotQuantityModel = QuantityElementModel & { lotId: string };
/**
 * A source or destination: an organization of this graph (given by id or
 * matched by GLN) and/or the identifier the event names it by (PGLN/SGLN,
 * canonical, or any URI as sent; absent for an organization without a GLN).
 */
export interface PartyModel {
  /** A CBV word (owning_party, possessing_party, location) or a user URI. */
  type: string;
  organizationId?: string;
  id?: string;
}
export interface ErrorDeclarationModel {
  declarationTime: string;
  reason: string | null;
  /** The erroneous event's eventID; it may be held elsewhere (then no local link). */
  correctedEventID?: string;
  correctiveEventIDs?: string[];
}

/**
 * The stored event document (trace.events.body): what was captured,
 * normalised (bare CBV words, lot ids). Its canonical hash is the event hash.
 */
export interface EventBody {
  type: EventTypeValue;
  action?: EventActionValue;
  eventTime: string;
  eventTimeZoneOffset: string;
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  parentLotId?: string;
  /** The parent lot's LGTIN at capture time, when its product has a GTIN (what the hash names it by). */
  parentLotClass?: string;
  quantityList?: QuantityElementModel[];
  inputQuantityList?: QuantityElementModel[];
  outputQuantityList?: QuantityElementModel[];
  sourceList?: PartyModel[];
  destinationList?: PartyModel[];
  /** type: a bare CBV word or a user URI; absent when the event gave none. */
  bizTransactionList?: { type?: string; id: string }[];
  ilmd?: unknown;
  sensorElementList?: unknown;
  certificationInfo?: string[];
  errorDeclaration?: ErrorDeclarationModel;
  /** Instance identifiers (SGTIN, SSCC, …) in canonical Digital Link form: epcList, or childEPCs of an aggregation/association. */
  epcList?: string[];
  inputEPCList?: string[];
  outputEPCList?: string[];
  /** Parent of an aggregation/association that is not one of our lots (an SSCC, a GIAI). */
  parentID?: string;
  /** EPCIS content outside our model (persistentDisposition, user extensions), verbatim, with the "@context" its keys need. */
  extensions?: Record<string, unknown>;
}

export interface TraceEventModel extends Scoped {
  id: string;
  eventID: string;
  eventHash: string;
  organizationId: string;
  sequence: number;
  previousHash: string;
  chainHash: string;
  eventTime: Date;
  recordTime: Date;
  body: EventBody;
}

export interface TimelineEntryModel {
  event: TraceEventModel;
  lang: string;
  correctedBy: string[];
}

export interface TracedLotModel {
  id: string;
  depth: number;
}
export interface GenealogyEdgeModel {
  parentLotId: string;
  childLotId: string;
  kind: 'TRANSFORMATION' | 'AGGREGATION';
  eventID: string;
}
export interface CustodyHopModel {
  lotId: string;
  fromOrgId: string | null;
  toOrgId: string | null;
  bizStep: string;
  quantity: number | null;
  unit: string | null;
  eventID: string;
  eventTime: Date;
  /** Path of the organization that captured the hop: who may see it. */
  capturerPath: string;
  /** Paths of the two parties, so either side may see its own hops. */
  partyPaths: string[];
}
export interface TraceResultModel {
  start: LotModel;
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  maxDepth: number;
  lots: TracedLotModel[];
  edges: GenealogyEdgeModel[];
}

export type RecallSeverityValue = 'CLASS_I' | 'CLASS_II' | 'CLASS_III';
export type RecallStatusValue = 'OPEN' | 'IN_PROGRESS' | 'CLOSED';

export interface RecallModel extends Scoped {
  id: string;
  reason: string;
  severity: RecallSeverityValue;
  status: RecallStatusValue;
  openedAt: Date;
  closedAt: Date | null;
  /**
   * The tree node whose authority opened the recall (docs/write-authority.md);
   * null only for recalls opened before it was recorded.
   */
  authorityPath: string | null;
  closedBy: string | null;
  closeReason: string | null;
  writtenOff: boolean;
}
export type RecallActionKindValue = 'OPEN' | 'EXTEND' | 'RECOVERY' | 'CLOSE' | 'WRITE_OFF';
/** One row of trace.recall_actions. */
export interface RecallActionModel {
  recallId: string;
  action: RecallActionKindValue;
  at: Date;
  actorId: string | null;
  actorKind: string | null;
  actorPath: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}
export interface RecallLotModel {
  recallId: string;
  lotId: string;
  holderId: string;
  root: boolean;
  quantityHeld: number | null;
  quantityRecovered: number;
  unit: string | null;
}

export interface ChainVerificationModel extends Scoped {
  organizationId: string;
  valid: boolean;
  eventCount: number;
  firstBrokenEventID: string | null;
  firstBrokenSequence: number | null;
  problem: string | null;
}

/** What captureEvents answers: the events are loaded only when the client selects them. */
export interface CaptureEventsPayloadModel {
  /** Internal ids of the events in input order (the stored one for a duplicate). */
  eventIds: string[];
  createdCount: number;
  duplicateCount: number;
}

export type CaptureJobStatusValue = 'RUNNING' | 'SUCCESS' | 'FAILED';

export interface CaptureJobModel extends Scoped {
  id: string;
  organizationId: string;
  status: CaptureJobStatusValue;
  eventCount: number;
  createdCount: number;
  duplicateCount: number;
  errors: { message: string; code: string; field: string | null }[];
  createdAt: Date;
  finishedAt: Date | null;
}

/** A national portal outbox row. */
export type { OutboxEntry as NationalOutboxEntryModel } from './data/nationalOutbox';

/** The outbox as one viewer sees it: supervised roots (null: everything) and counts per state. */
export interface NationalOutboxModel {
  roots: string[] | null;
  counts: { status: 'PENDING' | 'DELIVERED' | 'DEAD'; count: number; oldest: Date | null }[];
}
