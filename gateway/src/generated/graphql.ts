/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A business transaction reference. */
export type BizTransactionInput = {
  /** The identifier. */
  id: string;
  /** CBV type (po, poc, bol, cert, desadv, inv, pedigree, prodorder, recadv, rma, testprd, testres, upevt; bare word or CBV URI) or a user URI; optional, as in EPCIS. */
  type?: string | null | undefined;
};

/** Events to capture for one organization, all or nothing. */
export type CaptureEventsInput = {
  /** One to 10 000 events. */
  events: Array<EventInput>;
  /** The capturing organization; you must operate it. Its hash chain receives the events. */
  organizationId: string | number;
  /** Refuse (UNKNOWN_PARTY, naming every one) a GLN-bearing party id that matches none of our organizations; by default such a party is kept as given. */
  strictParties?: boolean | null | undefined;
};

/** Where an asynchronous capture job is. */
export type CaptureJobStatus =
  /** Nothing was stored (the whole document is rolled back); see errors. */
  | 'FAILED'
  /** Accepted; events are being written. */
  | 'RUNNING'
  /** Every event was stored (or already stored). */
  | 'SUCCESS';

/** Whether a certificate holds today (Vietnam time). */
export type CertificationStatus =
  /** The validity period has ended: never present this certificate as valid. */
  | 'EXPIRED'
  /** The validity period has not begun. */
  | 'NOT_YET_VALID'
  /** Today lies within the validity period. */
  | 'VALID';

/** How a field is compared: EQ against any of the values, the others against the first value (number or ISO 8601 time). */
export type CompareOp =
  /** Equal to one of the values. */
  | 'EQ'
  /** The field is present (values ignored). */
  | 'EXISTS'
  /** Greater than or equal. */
  | 'GE'
  /** Greater than. */
  | 'GT'
  /** Less than or equal. */
  | 'LE'
  /** Less than. */
  | 'LT';

/** What a shopper's report is about. */
export type ComplaintCategory =
  /** The package looks like a copy. */
  | 'COUNTERFEIT'
  /** The label is wrong, missing or misleading. */
  | 'LABELLING'
  /** Anything else. */
  | 'OTHER'
  /** Taste, freshness, spoilage, foreign matter. */
  | 'QUALITY'
  /** Illness, injury or a hazard. */
  | 'SAFETY';

/** A photo attached to a report. */
export type ComplaintPhotoInput = {
  /** The image, base64; at most 2 MiB decoded. */
  base64: string;
  /** image/jpeg, image/png or image/webp; the bytes must be a well-formed image of that type. Stored without its metadata (EXIF, XMP, text chunks). */
  contentType: string;
};

/** Where a complaint is in its life. ESCALATED is final; RESOLVED is final too, except that an OFFICER or ADMIN above the lot's owner may still escalate it to a recall. */
export type ComplaintStatus =
  /** Seen by the producer or an officer. */
  | 'ACKNOWLEDGED'
  /** Escalated to a recall of the lot (see `recall`). */
  | 'ESCALATED'
  /** Being looked into. */
  | 'INVESTIGATING'
  /** Filed; nobody has responded yet (the response-time clock runs). */
  | 'NEW'
  /** Closed with a resolution the shopper can read (a SAFETY or COUNTERFEIT complaint only by an OFFICER or ADMIN above the lot's owner). */
  | 'RESOLVED';

/** A new named query. */
export type CreateEpcisQueryInput = {
  /** The name, unique per owner (1–100 characters: letters, digits, - _ . ~). */
  name: string;
  /** The query parameters as the EPCIS query schema names them. */
  query: unknown;
};

/** Declares an earlier event erroneous; the event carrying it is the correction. */
export type ErrorDeclarationInput = {
  /** eventID of the erroneous event. One of this organization's events (captured, or earlier in the batch) is linked to its correction; any other is kept as named, unlinked. */
  correctedEventID?: string | null | undefined;
  /** eventIDs of the events that correct the erroneous one. */
  correctiveEventIDs?: Array<string> | null | undefined;
  /** When the error was declared, ISO 8601 with offset. */
  declarationTime: string;
  /** CBV error reason (incorrect_data, did_not_occur; bare word or CBV URI) or a user URI. */
  reason?: string | null | undefined;
};

/** EPCIS action: how the event relates to the objects' life cycle. */
export type EventAction =
  /** The objects came into being or were added. */
  | 'ADD'
  /** The objects ended or were removed. */
  | 'DELETE'
  /** The objects were only observed. */
  | 'OBSERVE';

/**
 * EPCIS query parameters (GS1 EPCIS 2.0 §8.2.7). Every given condition must hold;
 * list conditions match any member.
 */
export type EventFilter = {
  /** Actions (EQ_action). */
  actions?: Array<EventAction> | null | undefined;
  /** EPC classes in any quantity list (MATCH_anyEPCClass). */
  anyEpcClasses?: Array<string> | null | undefined;
  /** Instance EPCs anywhere: epcList, childEPCs, parentID, inputs, outputs (MATCH_anyEPC). */
  anyEpcs?: Array<string> | null | undefined;
  /** Lots anywhere in the event, the parent included (MATCH_anyEPC on LGTINs). */
  anyLotIds?: Array<string | number> | null | undefined;
  /** Business locations as stored (EQ_bizLocation); pass every spelling you accept. */
  bizLocations?: Array<string> | null | undefined;
  /** Business location is one of these locations or lies under one (WD_bizLocation), as readPointsWithin. */
  bizLocationsWithin?: Array<string> | null | undefined;
  /** Business steps, bare word or CBV URI (EQ_bizStep). */
  bizSteps?: Array<string> | null | undefined;
  /** Business transactions by type (EQ_bizTransaction_<type>). */
  bizTransactions?: Array<TypedValues> | null | undefined;
  /** An error declaration names one of these corrective eventIDs (EQ_correctiveEventID). */
  correctiveEventIDs?: Array<string> | null | undefined;
  /** Destinations by type (EQ_destination_<type>), as sources. */
  destinations?: Array<TypedValues> | null | undefined;
  /** Dispositions, bare word or CBV URI (EQ_disposition). */
  dispositions?: Array<string> | null | undefined;
  /** EPC classes (LGTIN, GTIN class urn:epc:idpat:sgtin:…*, Digital Link /01/ with or without /10/, any URI) in quantityList or childQuantityList (MATCH_epcClass). */
  epcClasses?: Array<string> | null | undefined;
  /** Instance EPCs in epcList or childEPCs (MATCH_epc); any spelling. */
  epcs?: Array<string> | null | undefined;
  /** true: only corrections; false: none (EXISTS_errorDeclaration). */
  errorDeclaration?: boolean | null | undefined;
  /** Error declaration reasons, bare CBV word or URI (EQ_errorReason). */
  errorReasons?: Array<string> | null | undefined;
  /** eventIDs (EQ_eventID). */
  eventIDs?: Array<string> | null | undefined;
  /** Only these event types (EPCIS eventType). */
  eventTypes?: Array<EventType> | null | undefined;
  /** Standard top-level fields the event must carry (EXISTS_<field>), e.g. bizStep, ilmd, sensorElementList, persistentDisposition. */
  exists?: Array<string> | null | undefined;
  /** Conditions on user extension and ILMD fields (EQ_/GT_/GE_/LT_/LE_/EXISTS_ with ILMD_ and INNER_). */
  fields?: Array<FieldCondition> | null | undefined;
  /** Error declared at or after (GE_errorDeclarationTime). */
  geErrorDeclarationTime?: string | null | undefined;
  /** eventTime at or after (GE_eventTime). */
  geEventTime?: string | null | undefined;
  /** recordTime at or after (GE_recordTime). */
  geRecordTime?: string | null | undefined;
  /** Events in these lots' histories: naming them, or about a pallet, case or parent lot while they were in it (docs/architecture.md §6, containment). */
  historyOfLots?: Array<string | number> | null | undefined;
  /** EPC classes in inputQuantityList (MATCH_inputEPCClass). */
  inputEpcClasses?: Array<string> | null | undefined;
  /** Instance EPCs or patterns with * in inputEPCList (MATCH_inputEPC). */
  inputEpcs?: Array<string> | null | undefined;
  /** Lots named in quantity lists, inputs or outputs (MATCH_epcClass / MATCH_anyEPCClass, resolved to lots). */
  lotIds?: Array<string | number> | null | undefined;
  /** Error declared before (LT_errorDeclarationTime). */
  ltErrorDeclarationTime?: string | null | undefined;
  /** eventTime before (LT_eventTime). */
  ltEventTime?: string | null | undefined;
  /** recordTime before (LT_recordTime). */
  ltRecordTime?: string | null | undefined;
  /** EPC classes in outputQuantityList (MATCH_outputEPCClass). */
  outputEpcClasses?: Array<string> | null | undefined;
  /** Instance EPCs or patterns with * in outputEPCList (MATCH_outputEPC). */
  outputEpcs?: Array<string> | null | undefined;
  /** Parent identifier, instance EPC or pattern with * (MATCH_parentID); an LGTIN matches a parent lot. */
  parentIDs?: Array<string> | null | undefined;
  /** A value persistentDisposition sets (EQ_persistentDisposition_set), bare CBV word or URI. */
  persistentDispositionSet?: Array<string> | null | undefined;
  /** A value persistentDisposition unsets (EQ_persistentDisposition_unset), bare CBV word or URI. */
  persistentDispositionUnset?: Array<string> | null | undefined;
  /** Conditions on the quantity of a quantity element (EQ/GT/GE/LT/LE_quantity, with _<uom> the element's unit); all must hold of one element. */
  quantities?: Array<QuantityCondition> | null | undefined;
  /** Read points as stored (EQ_readPoint). */
  readPoints?: Array<string> | null | undefined;
  /** Read point is one of these locations or lies under one (WD_readPoint): an SGLN covers its organization's subtree and its own extensions. */
  readPointsWithin?: Array<string> | null | undefined;
  /** Conditions on sensor data (EQ_type, EQ_deviceID, GE_value_<uom>, GE_time, … ); each holds of some sensor report or its metadata. */
  sensors?: Array<SensorCondition> | null | undefined;
  /** Sources by type (EQ_source_<type>): PGLN/SGLN in any spelling, urn:nguon:org:<id>, or any URI. */
  sources?: Array<TypedValues> | null | undefined;
  /** transformationID of a transformation (EQ_transformationID). */
  transformationIDs?: Array<string> | null | undefined;
};

/** One EPCIS 2.0 event to capture. */
export type EventInput = {
  /** Required except for transformation events, which have none. */
  action?: EventAction | null | undefined;
  /** Business location: any absolute URI or a GLN, as readPoint. */
  bizLocation?: string | null | undefined;
  /** CBV 2.0 business step (bare word, https://ref.gs1.org/cbv/BizStep-… or CBV 1.x URN), or a user URI kept as given. */
  bizStep?: string | null | undefined;
  /** Business transactions. */
  bizTransactions?: Array<BizTransactionInput> | null | undefined;
  /** Certifications stated on the event. */
  certificationInfo?: Array<string> | null | undefined;
  /** Where the objects went. */
  destinationParties?: Array<PartyInput> | null | undefined;
  /** CBV 2.0 disposition (bare word, https://ref.gs1.org/cbv/Disp-… or CBV 1.x URN), or a user URI kept as given. */
  disposition?: string | null | undefined;
  /** Instance identifiers (SGTIN, SSCC, any URI; EPC URN or GS1 Digital Link): epcList, or childEPCs of an aggregation/association. */
  epcs?: Array<string> | null | undefined;
  /** Marks this event as the correction of an earlier one. */
  errorDeclaration?: ErrorDeclarationInput | null | undefined;
  /** urn:uuid:… or ni:///sha-256;…; omitted: the content hash becomes the id. */
  eventID?: string | null | undefined;
  /** ISO 8601 with an explicit offset, e.g. 2026-03-01T07:30:00+07:00. */
  eventTime: string;
  /** The offset, e.g. +07:00; defaults to eventTime's. */
  eventTimeZoneOffset?: string | null | undefined;
  /** Every key of the EPCIS event this input has no field for (persistentDisposition, transformationID, user extensions …), verbatim, with "@context": the prefix → namespace map those keys need. Stored and given back as sent. */
  extensions?: unknown;
  /** Instance/lot master data (EPCIS ilmd). */
  ilmd?: unknown;
  /** Instance identifiers consumed by a transformation. */
  inputEPCs?: Array<string> | null | undefined;
  /** Inputs of a transformation. */
  inputs?: Array<QuantityInput> | null | undefined;
  /** Instance identifiers produced by a transformation. */
  outputEPCs?: Array<string> | null | undefined;
  /** Outputs of a transformation. */
  outputs?: Array<QuantityInput> | null | undefined;
  /** Parent of an aggregation/association/transaction that is not one of our lots (an SSCC, a GIAI). */
  parentID?: string | null | undefined;
  /** Parent (aggregate) lot of an aggregation or association event. */
  parentLotId?: string | number | null | undefined;
  /** Lots, classes and quantities (object, transaction, association events; children of an aggregation). */
  quantities?: Array<QuantityInput> | null | undefined;
  /** Read point: any absolute URI (SGLN URN, Digital Link /414/, geo:, …) or a GLN (13 digits). */
  readPoint?: string | null | undefined;
  /** Sensor elements (EPCIS sensorElementList), a list. */
  sensorReadings?: unknown;
  /** Where the objects came from. */
  sourceParties?: Array<PartyInput> | null | undefined;
  /** EPCIS event type. */
  type: EventType;
};

/** The field an event page is ordered by. */
export type EventOrderBy =
  /** eventTime. */
  | 'EVENT_TIME'
  /** recordTime. */
  | 'RECORD_TIME';

/** EPCIS 2.0 event type. */
export type EventType =
  /** Lots were put into (ADD) or taken out of (DELETE) an aggregate lot. */
  | 'AGGREGATION_EVENT'
  /** Lots were associated with a parent (a device, an asset). */
  | 'ASSOCIATION_EVENT'
  /** Something happened to lots (observed, created, shipped, …). */
  | 'OBJECT_EVENT'
  /** Lots were tied to a business transaction (order, invoice, despatch advice). */
  | 'TRANSACTION_EVENT'
  /** Input lots were consumed to make output lots (milling, processing, packing). */
  | 'TRANSFORMATION_EVENT';

/** A condition on a user-defined field, named by its full IRI (namespace + name, as in EQ_https://ns.example.com/epcis#field) or by the prefixed name the document used. */
export type FieldCondition = {
  /** Full IRI or prefixed name. */
  field: string;
  /** The comparison. */
  op: CompareOp;
  /** Where the field is. */
  scope: FieldScope;
  /** The values compared to (EQ: any of them; GT–LE: the first). */
  values?: Array<string> | null | undefined;
};

/** Where a user field is looked for. */
export type FieldScope =
  /** A top-level extension field of the event. */
  | 'EXTENSION'
  /** A top-level field of ilmd. */
  | 'ILMD'
  /** A field nested inside a top-level extension field. */
  | 'INNER'
  /** A field nested inside an ilmd field. */
  | 'INNER_ILMD';

/** Whether a serial number on a package is one the producer issued. */
export type ItemState =
  /** Issued but flagged as a possible copy (scanned too often or too far apart). */
  | 'FLAGGED'
  /** Issued for this lot and not flagged. */
  | 'ISSUED'
  /** Issued but locked by the producer (stolen, destroyed or withdrawn). */
  | 'LOCKED'
  /** Never issued for this lot: the package is likely counterfeit. */
  | 'NOT_ISSUED';

/** Where a lot is in its life. */
export type LotStatus =
  /** Finished: sold out or consumed; still traceable. */
  | 'CLOSED'
  /** Being recorded; visible to its owner and supervisors only. */
  | 'DRAFT'
  /** Public: its QR code leads consumers to its provenance. */
  | 'PUBLISHED'
  /** Recalled: every consumer surface shows a warning. */
  | 'RECALLED'
  /** Rejected in review by an overseer: internal only, never published, not counted against its area's norm. */
  | 'REJECTED'
  /** Held because its quantity does not fit its area's season norm: internal only, never published, until an overseer approves it. */
  | 'UNDER_REVIEW';

/** Order direction. */
export type OrderDirection =
  /** Ascending. */
  | 'ASC'
  /** Descending. */
  | 'DESC';

/** How a stage of a lot's origin relates to the lot whose page shows it. */
export type OriginRelation =
  /** A pallet or case (SSCC) the lot travelled in: the container's shipping and receiving are the lot's journey too. */
  | 'CONTAINER'
  /** A lot packed into it when it is a pallet or case (SSCC): aggregation contents. */
  | 'CONTENT'
  /** A lot it (or a lot upstream of it) was made from: an EPCIS transformation input. */
  | 'INPUT';

/** An organization in a role (CBV source/destination type). */
export type PartyInput = {
  /** Any URI. A GLN-bearing one (urn:epc:id:pgln:…, urn:epc:id:sgln:…, Digital Link /417/ or /414/, 13 digits) names the organization whose GLN it is, when there is one. */
  id?: string | null | undefined;
  /** One of our organizations. Exactly one of organizationId and id. */
  organizationId?: string | number | null | undefined;
  /** CBV source/destination type: owning_party, possessing_party, location (bare word or CBV URI), or a user URI. */
  type: string;
};

/** A condition on the quantity of a quantity element. */
export type QuantityCondition = {
  /** The comparison (not EXISTS). */
  op: CompareOp;
  /** Only elements in this UN/ECE Recommendation 20 unit, e.g. KGM. */
  uom?: string | null | undefined;
  /** The quantity compared to. */
  value: number;
};

/** One lot with a quantity. */
export type QuantityInput = {
  /** A class that is not given as a lot id: an LGTIN (an LGTIN of one of our lots is that lot, under the same write authority), a GTIN class (urn:epc:idpat:sgtin:…*, Digital Link /01/ without /10/) or any URI. */
  epcClass?: string | null | undefined;
  /** Id of one of our lots (it must exist). Exactly one of lotId and epcClass. */
  lotId?: string | number | null | undefined;
  /** Quantity (not negative). */
  quantity?: number | null | undefined;
  /** UN/ECE Recommendation 20 unit code. */
  unit?: string | null | undefined;
};

/** How dangerous a recalled lot is (FDA-style classes). */
export type RecallSeverity =
  /** Reasonable probability of serious harm or death. */
  | 'CLASS_I'
  /** May cause temporary or reversible harm. */
  | 'CLASS_II'
  /** Unlikely to cause harm; violates a rule. */
  | 'CLASS_III';

/** An anonymous scan of a lot's QR code. */
export type RecordScanInput = {
  /** Language the page was shown in. */
  lang: string;
  /** Latitude, only if the phone shared it; stored rounded to 0.1°. */
  latitude?: number | null | undefined;
  /** Longitude, only if the phone shared it; stored rounded to 0.1°. */
  longitude?: number | null | undefined;
  /** The lot scanned. */
  lotId: string | number;
  /** With a place: the scan this beacon follows up, as the page's first beacon was answered (`RecordScanPayload.scanId`). The place joins that scan instead of counting a new one; only the page that holds the id can place it. */
  scanId?: string | number | null | undefined;
  /** Serial number, when the code was of one serialised item. */
  serial?: string | null | undefined;
};

/** A shopper's report of a problem. */
export type ReportProblemInput = {
  /** What it is about. */
  category: ComplaintCategory;
  /** A phone number or email to be reached at (optional, at most 200 characters; PERSONAL). */
  contact?: string | null | undefined;
  /** What happened: 10–2 000 characters. */
  description: string;
  /** The language of the page (vi, en, zh, ko or ja; another reads vi). */
  lang?: string | null | undefined;
  /** The lot, as the consumer page names it. */
  lotId: string | number;
  /** An optional photo. */
  photo?: ComplaintPhotoInput | null | undefined;
  /** The scan the report comes from, when the page recorded one. */
  scanId?: string | number | null | undefined;
  /** Serial number of the item (GS1 AI 21), when the link carried one. */
  serial?: string | null | undefined;
};

/** A condition one sensor report (or its element's metadata) must meet. */
export type SensorCondition = {
  /** The field. */
  field: SensorField;
  /** The comparison. */
  op: CompareOp;
  /** Only reports in this unit (the _<uom> suffix). */
  uom?: string | null | undefined;
  /** The values compared to (EQ: any of them; GT–LE: the first). */
  values?: Array<string> | null | undefined;
};

/** Sensor data fields (EPCIS 2.0 sensorMetadata and sensorReport). */
export type SensorField =
  /** bizRules of the metadata (EQ_bizRules). */
  | 'BIZ_RULES'
  /** booleanValue (EQ_booleanValue). */
  | 'BOOLEAN_VALUE'
  /** chemicalSubstance (EQ_chemicalSubstance). */
  | 'CHEMICAL_SUBSTANCE'
  /** dataProcessingMethod (EQ_dataProcessingMethod). */
  | 'DATA_PROCESSING_METHOD'
  /** deviceID of the metadata or a report (EQ_deviceID). */
  | 'DEVICE_ID'
  /** deviceMetadata (EQ_deviceMetadata). */
  | 'DEVICE_METADATA'
  /** endTime of the metadata (GE_endTime / LT_endTime). */
  | 'END_TIME'
  /** hexBinaryValue (EQ_hexBinaryValue). */
  | 'HEX_BINARY_VALUE'
  /** maxValue. */
  | 'MAX_VALUE'
  /** meanValue. */
  | 'MEAN_VALUE'
  /** microorganism (EQ_microorganism). */
  | 'MICROORGANISM'
  /** minValue. */
  | 'MIN_VALUE'
  /** percRank. */
  | 'PERC_RANK'
  /** percValue. */
  | 'PERC_VALUE'
  /** rawData (EQ_rawData). */
  | 'RAW_DATA'
  /** startTime of the metadata (GE_startTime / LT_startTime). */
  | 'START_TIME'
  /** stringValue (EQ_stringValue). */
  | 'STRING_VALUE'
  /** sDev. */
  | 'S_DEV'
  /** time of the metadata or a report (GE_time / LT_time). */
  | 'TIME'
  /** sensorReport type (EQ_type), e.g. gs1:Temperature. */
  | 'TYPE'
  /** uriValue (EQ_uriValue). */
  | 'URI_VALUE'
  /** value (EQ_/GT_/GE_/LT_/LE_value_<uom>). */
  | 'VALUE';

/** Which way a trace follows the genealogy. */
export type TraceDirection =
  /** Towards what was made from the lot and where it went. */
  | 'DOWNSTREAM'
  /** Towards the ingredients and origins. */
  | 'UPSTREAM';

/** Values of one type (a business transaction, source or destination type). */
export type TypedValues = {
  /** The type: a CBV bare word or a URI. */
  type: string;
  /** Any of these identifiers. */
  values: Array<string>;
};

/** What a verification found. */
export type VerificationResult =
  /** Genuine, but it was verified before: see when and where. */
  | 'ALREADY_VERIFIED'
  /** The producer locked this item (stolen, destroyed or withdrawn: see Lot.item): not genuine, whatever the code; the code is not checked. */
  | 'LOCKED'
  /** This item carries no verification code. */
  | 'NO_CODE'
  /** Too many wrong codes for this item; try again later. */
  | 'TOO_MANY_ATTEMPTS'
  /** No such item in this lot. */
  | 'UNKNOWN_ITEM'
  /** Genuine, and this is its first verification. */
  | 'VERIFIED_FIRST_TIME'
  /** The code does not match. */
  | 'WRONG_CODE';

/** A consumer's check of the hidden verification code of one item. */
export type VerifyItemInput = {
  /** The code under the scratch layer. */
  code: string;
  /** Latitude, only if the phone shared it. */
  latitude?: number | null | undefined;
  /** Longitude, only if the phone shared it. */
  longitude?: number | null | undefined;
  /** The lot. */
  lotId: string | number;
  /** Serial number of the item. */
  serial: string;
};

export type EpcisSubmitCaptureMutationVariables = Exact<{
  input: CaptureEventsInput;
}>;


export type EpcisSubmitCaptureMutation = { submitCaptureJob: { id: string } };

export type EpcisCaptureJobQueryVariables = Exact<{
  id: string | number;
}>;


export type EpcisCaptureJobQuery = { captureJob: { id: string, status: CaptureJobStatus, eventCount: number, createdCount: number, duplicateCount: number, createdAt: string, finishedAt: string | null, errors: Array<{ message: string, code: string, field: string | null }> } | null };

export type EpcisCaptureOneMutationVariables = Exact<{
  input: CaptureEventsInput;
}>;


export type EpcisCaptureOneMutation = { captureEvents: { createdCount: number, events: Array<{ eventID: string }> } };

export type FsmaOrganizationFragment = { address: string | null, gln: string | null, path: string, name: { text: string } };

export type FsmaLotFragment = { lotId: string | null, quantity: number | null, unit: string | null, lot: { lotCode: string, product: { id: string, gtin: string | null, name: { text: string } } | null, owner: { address: string | null, gln: string | null, path: string, name: { text: string } } | null, productionArea: { gln: string | null, glnExtension: string | null, name: { text: string } } | null } | null };

export type FsmaEventsQueryVariables = Exact<{
  filter: EventFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FsmaEventsQuery = { events: { nodes: Array<{ eventID: string, type: EventType, bizStep: string | null, localEventTime: string, readPoint: string | null, bizLocation: string | null, organization: { address: string | null, gln: string | null, path: string, name: { text: string } }, quantities: Array<{ lotId: string | null, quantity: number | null, unit: string | null, lot: { lotCode: string, product: { id: string, gtin: string | null, name: { text: string } } | null, owner: { address: string | null, gln: string | null, path: string, name: { text: string } } | null, productionArea: { gln: string | null, glnExtension: string | null, name: { text: string } } | null } | null }>, inputs: Array<{ lotId: string | null, quantity: number | null, unit: string | null, lot: { lotCode: string, product: { id: string, gtin: string | null, name: { text: string } } | null, owner: { address: string | null, gln: string | null, path: string, name: { text: string } } | null, productionArea: { gln: string | null, glnExtension: string | null, name: { text: string } } | null } | null }>, outputs: Array<{ lotId: string | null, quantity: number | null, unit: string | null, lot: { lotCode: string, product: { id: string, gtin: string | null, name: { text: string } } | null, owner: { address: string | null, gln: string | null, path: string, name: { text: string } } | null, productionArea: { gln: string | null, glnExtension: string | null, name: { text: string } } | null } | null }>, sourceParties: Array<{ type: string, organization: { address: string | null, gln: string | null, path: string, name: { text: string } } | null }>, destinationParties: Array<{ type: string, organization: { address: string | null, gln: string | null, path: string, name: { text: string } } | null }>, bizTransactions: Array<{ type: string | null, id: string }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FsmaProductLotsFragment = { id: string, gtin: string | null, lots: { nodes: Array<{ id: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FsmaProductByGtinQueryVariables = Exact<{
  gtin: string;
  after?: string | null | undefined;
}>;


export type FsmaProductByGtinQuery = { product: { id: string, gtin: string | null, lots: { nodes: Array<{ id: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type FsmaProductQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type FsmaProductQuery = { product: { id: string, gtin: string | null, lots: { nodes: Array<{ id: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type VnLotFragment = { id: string, lotCode: string, status: LotStatus, producedOn: string | null, expiresOn: string | null, season: string | null, digitalLink: string | null, product: { id: string, gtin: string | null, brand: string | null, name: { text: string, lang: string }, images: Array<{ url: string }>, certifications: Array<{ schemeName: string, issuer: string, number: string, validFrom: string, validTo: string, status: CertificationStatus }> } | null, owner: { id: string, address: string | null, gln: string | null, path: string, name: { text: string } } | null, timeline: Array<{ eventID: string, bizStep: string | null, bizStepLabel: string | null, localEventTime: string, bizLocation: string | null, readPoint: string | null, corrects: string | null, organization: { gln: string | null, path: string, name: { text: string } } }> };

export type VnLotQueryVariables = Exact<{
  id: string | number;
  lang?: string | null | undefined;
}>;


export type VnLotQuery = { lot: { id: string, lotCode: string, status: LotStatus, producedOn: string | null, expiresOn: string | null, season: string | null, digitalLink: string | null, product: { id: string, gtin: string | null, brand: string | null, name: { text: string, lang: string }, images: Array<{ url: string }>, certifications: Array<{ schemeName: string, issuer: string, number: string, validFrom: string, validTo: string, status: CertificationStatus }> } | null, owner: { id: string, address: string | null, gln: string | null, path: string, name: { text: string } } | null, timeline: Array<{ eventID: string, bizStep: string | null, bizStepLabel: string | null, localEventTime: string, bizLocation: string | null, readPoint: string | null, corrects: string | null, organization: { gln: string | null, path: string, name: { text: string } } }> } | null };

export type VnProducerLotsQueryVariables = Exact<{
  id: string | number;
  lang?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type VnProducerLotsQuery = { lots: { nodes: Array<{ id: string, lotCode: string, status: LotStatus, producedOn: string | null, expiresOn: string | null, season: string | null, digitalLink: string | null, product: { id: string, gtin: string | null, brand: string | null, name: { text: string, lang: string }, images: Array<{ url: string }>, certifications: Array<{ schemeName: string, issuer: string, number: string, validFrom: string, validTo: string, status: CertificationStatus }> } | null, owner: { id: string, address: string | null, gln: string | null, path: string, name: { text: string } } | null, timeline: Array<{ eventID: string, bizStep: string | null, bizStepLabel: string | null, localEventTime: string, bizLocation: string | null, readPoint: string | null, corrects: string | null, organization: { gln: string | null, path: string, name: { text: string } } }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type VnOrganizationQueryVariables = Exact<{
  id: string | number;
}>;


export type VnOrganizationQuery = { organization: { id: string } | null };

export type ExportEventsQueryVariables = Exact<{
  filter: EventFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ExportEventsQuery = { events: { nodes: Array<{ eventID: string, eventHash: string, type: EventType, action: EventAction | null, bizStep: string | null, disposition: string | null, localEventTime: string, eventTimeZoneOffset: string, recordTime: string, readPoint: string | null, bizLocation: string | null, certificationInfo: Array<string>, parentLotId: string | null, parentEpcClass: string | null, ilmd: unknown, sensorReadings: unknown, epcs: Array<string>, inputEPCs: Array<string>, outputEPCs: Array<string>, parentID: string | null, extensions: unknown, sourceParties: Array<{ type: string, id: string, organization: { gln: string | null, id: string } | null }>, destinationParties: Array<{ type: string, id: string, organization: { gln: string | null, id: string } | null }>, errorDeclaration: { declarationTime: string, reason: string | null, correctedEventID: string | null, correctiveEventIDs: Array<string> } | null, quantities: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, inputs: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, outputs: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, bizTransactions: Array<{ type: string | null, id: string }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExportTraceLotsQueryVariables = Exact<{
  id: string | number;
  d: TraceDirection;
  depth?: number | null | undefined;
}>;


export type ExportTraceLotsQuery = { trace: { lots: Array<{ id: string }> } | null };

export type EpcisLotsOfGtinQueryVariables = Exact<{
  gtin: string;
  after?: string | null | undefined;
}>;


export type EpcisLotsOfGtinQuery = { productByGtin: { lots: { nodes: Array<{ id: string, lotCode: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type EpcisEventFragment = { eventID: string, eventHash: string, type: EventType, action: EventAction | null, bizStep: string | null, disposition: string | null, localEventTime: string, eventTimeZoneOffset: string, recordTime: string, readPoint: string | null, bizLocation: string | null, certificationInfo: Array<string>, parentLotId: string | null, parentEpcClass: string | null, ilmd: unknown, sensorReadings: unknown, epcs: Array<string>, inputEPCs: Array<string>, outputEPCs: Array<string>, parentID: string | null, extensions: unknown, errorDeclaration: { declarationTime: string, reason: string | null, correctedEventID: string | null, correctiveEventIDs: Array<string> } | null, quantities: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, inputs: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, outputs: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, bizTransactions: Array<{ type: string | null, id: string }>, sourceParties: Array<{ type: string, id: string, organization: { id: string } | null }>, destinationParties: Array<{ type: string, id: string, organization: { id: string } | null }> };

export type EpcisPublicEventFragment = { eventID: string, eventHash: string, type: EventType, action: EventAction | null, bizStep: string | null, disposition: string | null, localEventTime: string, eventTimeZoneOffset: string, recordTime: string, readPoint: string | null, bizLocation: string | null, certificationInfo: Array<string>, errorDeclaration: { declarationTime: string, reason: string | null, correctedEventID: string | null, correctiveEventIDs: Array<string> } | null };

export type EpcisEventsQueryVariables = Exact<{
  filter: EventFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: EventOrderBy | null | undefined;
  orderDirection?: OrderDirection | null | undefined;
}>;


export type EpcisEventsQuery = { events: { nodes: Array<{ eventID: string, eventHash: string, type: EventType, action: EventAction | null, bizStep: string | null, disposition: string | null, localEventTime: string, eventTimeZoneOffset: string, recordTime: string, readPoint: string | null, bizLocation: string | null, certificationInfo: Array<string>, parentLotId: string | null, parentEpcClass: string | null, ilmd: unknown, sensorReadings: unknown, epcs: Array<string>, inputEPCs: Array<string>, outputEPCs: Array<string>, parentID: string | null, extensions: unknown, errorDeclaration: { declarationTime: string, reason: string | null, correctedEventID: string | null, correctiveEventIDs: Array<string> } | null, quantities: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, inputs: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, outputs: Array<{ lotId: string | null, epcClass: string | null, quantity: number | null, unit: string | null }>, bizTransactions: Array<{ type: string | null, id: string }>, sourceParties: Array<{ type: string, id: string, organization: { id: string } | null }>, destinationParties: Array<{ type: string, id: string, organization: { id: string } | null }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type EpcisPublicEventsQueryVariables = Exact<{
  filter: EventFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: EventOrderBy | null | undefined;
  orderDirection?: OrderDirection | null | undefined;
}>;


export type EpcisPublicEventsQuery = { events: { nodes: Array<{ eventID: string, eventHash: string, type: EventType, action: EventAction | null, bizStep: string | null, disposition: string | null, localEventTime: string, eventTimeZoneOffset: string, recordTime: string, readPoint: string | null, bizLocation: string | null, certificationInfo: Array<string>, errorDeclaration: { declarationTime: string, reason: string | null, correctedEventID: string | null, correctiveEventIDs: Array<string> } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type EventIdsQueryVariables = Exact<{
  filter: EventFilter;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type EventIdsQuery = { events: { nodes: Array<{ eventID: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type EpcisNamedQueriesQueryVariables = Exact<{ [key: string]: never; }>;


export type EpcisNamedQueriesQuery = { epcisQueries: Array<{ name: string, query: unknown }> };

export type EpcisNamedQueryQueryVariables = Exact<{
  name: string;
}>;


export type EpcisNamedQueryQuery = { epcisQuery: { name: string, query: unknown } | null };

export type CreateEpcisQueryMutationVariables = Exact<{
  input: CreateEpcisQueryInput;
}>;


export type CreateEpcisQueryMutation = { createEpcisQuery: { name: string } };

export type DeleteEpcisQueryMutationVariables = Exact<{
  name: string;
}>;


export type DeleteEpcisQueryMutation = { deleteEpcisQuery: boolean };

export type LabelLotQueryVariables = Exact<{
  id: string | number;
}>;


export type LabelLotQuery = { lot: { lotCode: string, expiresOn: string | null, product: { gtin: string | null, name: { text: string } } | null } | null, own: { quantity: number } | null };

export type ReportLotQueryVariables = Exact<{
  gtin: string;
  lot: string;
  lang?: string | null | undefined;
}>;


export type ReportLotQuery = { productByGtin: { gtin: string | null, name: { text: string }, lot: { id: string, lotCode: string, status: LotStatus } | null } | null };

export type ReportProblemMutationVariables = Exact<{
  input: ReportProblemInput;
}>;


export type ReportProblemMutation = { reportProblem: { receipt: string, status: ComplaintStatus } };

export type ComplaintStatusQueryVariables = Exact<{
  receipt: string;
}>;


export type ComplaintStatusQuery = { complaintReceipt: { receipt: string, status: ComplaintStatus, category: ComplaintCategory, createdAt: string, updatedAt: string, resolution: string | null, recalled: boolean } | null };

export type ProvenanceQueryVariables = Exact<{
  gtin: string;
  lot: string;
  lang?: string | null | undefined;
  serial?: string;
  hasSerial?: boolean;
}>;


export type ProvenanceQuery = { productByGtin: { gtin: string | null, brand: string | null, name: { text: string, lang: string }, description: { text: string } | null, images: Array<{ url: string, alt: { text: string } }>, certifications: Array<{ schemeName: string, issuer: string, number: string, stars: number | null, validFrom: string, validTo: string, status: CertificationStatus }>, owner: { address: string | null, gln: string | null, name: { text: string } } | null, lot: { id: string, lotCode: string, status: LotStatus, producedOn: string | null, expiresOn: string | null, season: string | null, lastChangedAt: string, productionAreaId: string | null, timeline: Array<{ bizStepLabel: string | null, dispositionLabel: string | null, eventTime: string, bizLocation: string | null, readPoint: string | null, corrects: string | null, correctedBy: Array<string>, organizationId: string }>, activeRecall: { reason: string, severity: RecallSeverity, openedAt: string } | null, item?: { state: ItemState, reasonCode: string | null, reason: string | null }, origin: Array<{ depth: number, relation: OriginRelation, disclosed: boolean, lotCode: string | null, season: string | null, producedOn: string | null, producerId: string | null, productionAreaId: string | null, steps: Array<{ bizStepLabel: string | null, eventTime: string, correctedBy: Array<string>, corrects: string | null, organizationId: string }> }>, journeyOrganizations: Array<{ id: string, gln: string | null, name: { text: string } }>, journeyAreas: Array<{ id: string, code: string, commune: string | null, hectares: number, crop: string, name: { text: string }, certifications: Array<{ schemeName: string, status: CertificationStatus, validTo: string }> }> } | null } | null };

export type VerifyMutationVariables = Exact<{
  input: VerifyItemInput;
}>;


export type VerifyMutation = { verifyItem: { result: VerificationResult, firstVerifiedAt: string | null, firstVerifiedPlace: string | null } };

export type ScanMutationVariables = Exact<{
  input: RecordScanInput;
}>;


export type ScanMutation = { recordScan: { recorded: boolean, scanId: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const FsmaOrganizationFragmentDoc = new TypedDocumentString(`
    fragment FsmaOrganization on Organization {
  name {
    text
  }
  address
  gln
  path
}
    `, {"fragmentName":"FsmaOrganization"}) as unknown as TypedDocumentString<FsmaOrganizationFragment, unknown>;
export const FsmaLotFragmentDoc = new TypedDocumentString(`
    fragment FsmaLot on QuantityElement {
  lotId
  quantity
  unit
  lot {
    lotCode
    product {
      id
      gtin
      name {
        text
      }
    }
    owner {
      ...FsmaOrganization
    }
    productionArea {
      name {
        text
      }
      gln
      glnExtension
    }
  }
}
    fragment FsmaOrganization on Organization {
  name {
    text
  }
  address
  gln
  path
}`, {"fragmentName":"FsmaLot"}) as unknown as TypedDocumentString<FsmaLotFragment, unknown>;
export const FsmaProductLotsFragmentDoc = new TypedDocumentString(`
    fragment FsmaProductLots on Product {
  id
  gtin
  lots(first: 100, after: $after) {
    nodes {
      id
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `, {"fragmentName":"FsmaProductLots"}) as unknown as TypedDocumentString<FsmaProductLotsFragment, unknown>;
export const VnLotFragmentDoc = new TypedDocumentString(`
    fragment VnLot on Lot {
  id
  lotCode
  status
  producedOn
  expiresOn
  season
  digitalLink
  product {
    id
    gtin
    brand
    name(lang: $lang) {
      text
      lang
    }
    images {
      url
    }
    certifications {
      schemeName
      issuer
      number
      validFrom
      validTo
      status
    }
  }
  owner {
    id
    name(lang: $lang) {
      text
    }
    address
    gln
    path
  }
  timeline(lang: $lang) {
    eventID
    bizStep
    bizStepLabel
    localEventTime
    bizLocation
    readPoint
    corrects
    organization {
      name(lang: $lang) {
        text
      }
      gln
      path
    }
  }
}
    `, {"fragmentName":"VnLot"}) as unknown as TypedDocumentString<VnLotFragment, unknown>;
export const EpcisEventFragmentDoc = new TypedDocumentString(`
    fragment EpcisEvent on TraceEvent {
  eventID
  eventHash
  type
  action
  bizStep
  disposition
  localEventTime
  eventTimeZoneOffset
  recordTime
  readPoint
  bizLocation
  certificationInfo
  errorDeclaration {
    declarationTime
    reason
    correctedEventID
    correctiveEventIDs
  }
  quantities {
    lotId
    epcClass
    quantity
    unit
  }
  inputs {
    lotId
    epcClass
    quantity
    unit
  }
  outputs {
    lotId
    epcClass
    quantity
    unit
  }
  parentLotId
  parentEpcClass
  bizTransactions {
    type
    id
  }
  ilmd
  sensorReadings
  epcs
  inputEPCs
  outputEPCs
  parentID
  extensions
  sourceParties {
    type
    id
    organization {
      id
    }
  }
  destinationParties {
    type
    id
    organization {
      id
    }
  }
}
    `, {"fragmentName":"EpcisEvent"}) as unknown as TypedDocumentString<EpcisEventFragment, unknown>;
export const EpcisPublicEventFragmentDoc = new TypedDocumentString(`
    fragment EpcisPublicEvent on TraceEvent {
  eventID
  eventHash
  type
  action
  bizStep
  disposition
  localEventTime
  eventTimeZoneOffset
  recordTime
  readPoint
  bizLocation
  certificationInfo
  errorDeclaration {
    declarationTime
    reason
    correctedEventID
    correctiveEventIDs
  }
}
    `, {"fragmentName":"EpcisPublicEvent"}) as unknown as TypedDocumentString<EpcisPublicEventFragment, unknown>;
export const EpcisSubmitCaptureDocument = new TypedDocumentString(`
    mutation EpcisSubmitCapture($input: CaptureEventsInput!) {
  submitCaptureJob(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<EpcisSubmitCaptureMutation, EpcisSubmitCaptureMutationVariables>;
export const EpcisCaptureJobDocument = new TypedDocumentString(`
    query EpcisCaptureJob($id: ID!) {
  captureJob(id: $id) {
    id
    status
    eventCount
    createdCount
    duplicateCount
    errors {
      message
      code
      field
    }
    createdAt
    finishedAt
  }
}
    `) as unknown as TypedDocumentString<EpcisCaptureJobQuery, EpcisCaptureJobQueryVariables>;
export const EpcisCaptureOneDocument = new TypedDocumentString(`
    mutation EpcisCaptureOne($input: CaptureEventsInput!) {
  captureEvents(input: $input) {
    createdCount
    events {
      eventID
    }
  }
}
    `) as unknown as TypedDocumentString<EpcisCaptureOneMutation, EpcisCaptureOneMutationVariables>;
export const FsmaEventsDocument = new TypedDocumentString(`
    query FsmaEvents($filter: EventFilter!, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes {
      eventID
      type
      bizStep
      localEventTime
      readPoint
      bizLocation
      organization {
        ...FsmaOrganization
      }
      quantities {
        ...FsmaLot
      }
      inputs {
        ...FsmaLot
      }
      outputs {
        ...FsmaLot
      }
      sourceParties {
        type
        organization {
          ...FsmaOrganization
        }
      }
      destinationParties {
        type
        organization {
          ...FsmaOrganization
        }
      }
      bizTransactions {
        type
        id
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FsmaOrganization on Organization {
  name {
    text
  }
  address
  gln
  path
}
fragment FsmaLot on QuantityElement {
  lotId
  quantity
  unit
  lot {
    lotCode
    product {
      id
      gtin
      name {
        text
      }
    }
    owner {
      ...FsmaOrganization
    }
    productionArea {
      name {
        text
      }
      gln
      glnExtension
    }
  }
}`) as unknown as TypedDocumentString<FsmaEventsQuery, FsmaEventsQueryVariables>;
export const FsmaProductByGtinDocument = new TypedDocumentString(`
    query FsmaProductByGtin($gtin: GTIN!, $after: String) {
  product: productByGtin(gtin: $gtin) {
    ...FsmaProductLots
  }
}
    fragment FsmaProductLots on Product {
  id
  gtin
  lots(first: 100, after: $after) {
    nodes {
      id
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}`) as unknown as TypedDocumentString<FsmaProductByGtinQuery, FsmaProductByGtinQueryVariables>;
export const FsmaProductDocument = new TypedDocumentString(`
    query FsmaProduct($id: ID!, $after: String) {
  product(id: $id) {
    ...FsmaProductLots
  }
}
    fragment FsmaProductLots on Product {
  id
  gtin
  lots(first: 100, after: $after) {
    nodes {
      id
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}`) as unknown as TypedDocumentString<FsmaProductQuery, FsmaProductQueryVariables>;
export const VnLotDocument = new TypedDocumentString(`
    query VnLot($id: ID!, $lang: String) {
  lot(id: $id) {
    ...VnLot
  }
}
    fragment VnLot on Lot {
  id
  lotCode
  status
  producedOn
  expiresOn
  season
  digitalLink
  product {
    id
    gtin
    brand
    name(lang: $lang) {
      text
      lang
    }
    images {
      url
    }
    certifications {
      schemeName
      issuer
      number
      validFrom
      validTo
      status
    }
  }
  owner {
    id
    name(lang: $lang) {
      text
    }
    address
    gln
    path
  }
  timeline(lang: $lang) {
    eventID
    bizStep
    bizStepLabel
    localEventTime
    bizLocation
    readPoint
    corrects
    organization {
      name(lang: $lang) {
        text
      }
      gln
      path
    }
  }
}`) as unknown as TypedDocumentString<VnLotQuery, VnLotQueryVariables>;
export const VnProducerLotsDocument = new TypedDocumentString(`
    query VnProducerLots($id: ID!, $lang: String, $after: String) {
  lots(ownerId: $id, first: 20, after: $after) {
    nodes {
      ...VnLot
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment VnLot on Lot {
  id
  lotCode
  status
  producedOn
  expiresOn
  season
  digitalLink
  product {
    id
    gtin
    brand
    name(lang: $lang) {
      text
      lang
    }
    images {
      url
    }
    certifications {
      schemeName
      issuer
      number
      validFrom
      validTo
      status
    }
  }
  owner {
    id
    name(lang: $lang) {
      text
    }
    address
    gln
    path
  }
  timeline(lang: $lang) {
    eventID
    bizStep
    bizStepLabel
    localEventTime
    bizLocation
    readPoint
    corrects
    organization {
      name(lang: $lang) {
        text
      }
      gln
      path
    }
  }
}`) as unknown as TypedDocumentString<VnProducerLotsQuery, VnProducerLotsQueryVariables>;
export const VnOrganizationDocument = new TypedDocumentString(`
    query VnOrganization($id: ID!) {
  organization(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<VnOrganizationQuery, VnOrganizationQueryVariables>;
export const ExportEventsDocument = new TypedDocumentString(`
    query ExportEvents($filter: EventFilter!, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes {
      ...EpcisEvent
      sourceParties {
        organization {
          gln
        }
      }
      destinationParties {
        organization {
          gln
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment EpcisEvent on TraceEvent {
  eventID
  eventHash
  type
  action
  bizStep
  disposition
  localEventTime
  eventTimeZoneOffset
  recordTime
  readPoint
  bizLocation
  certificationInfo
  errorDeclaration {
    declarationTime
    reason
    correctedEventID
    correctiveEventIDs
  }
  quantities {
    lotId
    epcClass
    quantity
    unit
  }
  inputs {
    lotId
    epcClass
    quantity
    unit
  }
  outputs {
    lotId
    epcClass
    quantity
    unit
  }
  parentLotId
  parentEpcClass
  bizTransactions {
    type
    id
  }
  ilmd
  sensorReadings
  epcs
  inputEPCs
  outputEPCs
  parentID
  extensions
  sourceParties {
    type
    id
    organization {
      id
    }
  }
  destinationParties {
    type
    id
    organization {
      id
    }
  }
}`) as unknown as TypedDocumentString<ExportEventsQuery, ExportEventsQueryVariables>;
export const ExportTraceLotsDocument = new TypedDocumentString(`
    query ExportTraceLots($id: ID!, $d: TraceDirection!, $depth: Int) {
  trace(lotId: $id, direction: $d, maxDepth: $depth) {
    lots {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ExportTraceLotsQuery, ExportTraceLotsQueryVariables>;
export const EpcisLotsOfGtinDocument = new TypedDocumentString(`
    query EpcisLotsOfGtin($gtin: GTIN!, $after: String) {
  productByGtin(gtin: $gtin) {
    lots(first: 100, after: $after) {
      nodes {
        id
        lotCode
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EpcisLotsOfGtinQuery, EpcisLotsOfGtinQueryVariables>;
export const EpcisEventsDocument = new TypedDocumentString(`
    query EpcisEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {
  events(
    filter: $filter
    first: $first
    after: $after
    orderBy: $orderBy
    orderDirection: $orderDirection
  ) {
    nodes {
      ...EpcisEvent
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment EpcisEvent on TraceEvent {
  eventID
  eventHash
  type
  action
  bizStep
  disposition
  localEventTime
  eventTimeZoneOffset
  recordTime
  readPoint
  bizLocation
  certificationInfo
  errorDeclaration {
    declarationTime
    reason
    correctedEventID
    correctiveEventIDs
  }
  quantities {
    lotId
    epcClass
    quantity
    unit
  }
  inputs {
    lotId
    epcClass
    quantity
    unit
  }
  outputs {
    lotId
    epcClass
    quantity
    unit
  }
  parentLotId
  parentEpcClass
  bizTransactions {
    type
    id
  }
  ilmd
  sensorReadings
  epcs
  inputEPCs
  outputEPCs
  parentID
  extensions
  sourceParties {
    type
    id
    organization {
      id
    }
  }
  destinationParties {
    type
    id
    organization {
      id
    }
  }
}`) as unknown as TypedDocumentString<EpcisEventsQuery, EpcisEventsQueryVariables>;
export const EpcisPublicEventsDocument = new TypedDocumentString(`
    query EpcisPublicEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {
  events(
    filter: $filter
    first: $first
    after: $after
    orderBy: $orderBy
    orderDirection: $orderDirection
  ) {
    nodes {
      ...EpcisPublicEvent
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment EpcisPublicEvent on TraceEvent {
  eventID
  eventHash
  type
  action
  bizStep
  disposition
  localEventTime
  eventTimeZoneOffset
  recordTime
  readPoint
  bizLocation
  certificationInfo
  errorDeclaration {
    declarationTime
    reason
    correctedEventID
    correctiveEventIDs
  }
}`) as unknown as TypedDocumentString<EpcisPublicEventsQuery, EpcisPublicEventsQueryVariables>;
export const EventIdsDocument = new TypedDocumentString(`
    query EventIds($filter: EventFilter!, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    nodes {
      eventID
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<EventIdsQuery, EventIdsQueryVariables>;
export const EpcisNamedQueriesDocument = new TypedDocumentString(`
    query EpcisNamedQueries {
  epcisQueries {
    name
    query
  }
}
    `) as unknown as TypedDocumentString<EpcisNamedQueriesQuery, EpcisNamedQueriesQueryVariables>;
export const EpcisNamedQueryDocument = new TypedDocumentString(`
    query EpcisNamedQuery($name: String!) {
  epcisQuery(name: $name) {
    name
    query
  }
}
    `) as unknown as TypedDocumentString<EpcisNamedQueryQuery, EpcisNamedQueryQueryVariables>;
export const CreateEpcisQueryDocument = new TypedDocumentString(`
    mutation CreateEpcisQuery($input: CreateEpcisQueryInput!) {
  createEpcisQuery(input: $input) {
    name
  }
}
    `) as unknown as TypedDocumentString<CreateEpcisQueryMutation, CreateEpcisQueryMutationVariables>;
export const DeleteEpcisQueryDocument = new TypedDocumentString(`
    mutation DeleteEpcisQuery($name: String!) {
  deleteEpcisQuery(name: $name)
}
    `) as unknown as TypedDocumentString<DeleteEpcisQueryMutation, DeleteEpcisQueryMutationVariables>;
export const LabelLotDocument = new TypedDocumentString(`
    query LabelLot($id: ID!) {
  lot(id: $id) {
    lotCode
    expiresOn
    product {
      gtin
      name {
        text
      }
    }
  }
  own: lot(id: $id) {
    quantity
  }
}
    `) as unknown as TypedDocumentString<LabelLotQuery, LabelLotQueryVariables>;
export const ReportLotDocument = new TypedDocumentString(`
    query ReportLot($gtin: GTIN!, $lot: String!, $lang: String) {
  productByGtin(gtin: $gtin) {
    gtin
    name(lang: $lang) {
      text
    }
    lot(code: $lot) {
      id
      lotCode
      status
    }
  }
}
    `) as unknown as TypedDocumentString<ReportLotQuery, ReportLotQueryVariables>;
export const ReportProblemDocument = new TypedDocumentString(`
    mutation ReportProblem($input: ReportProblemInput!) {
  reportProblem(input: $input) {
    receipt
    status
  }
}
    `) as unknown as TypedDocumentString<ReportProblemMutation, ReportProblemMutationVariables>;
export const ComplaintStatusDocument = new TypedDocumentString(`
    query ComplaintStatus($receipt: String!) {
  complaintReceipt(receipt: $receipt) {
    receipt
    status
    category
    createdAt
    updatedAt
    resolution
    recalled
  }
}
    `) as unknown as TypedDocumentString<ComplaintStatusQuery, ComplaintStatusQueryVariables>;
export const ProvenanceDocument = new TypedDocumentString(`
    query Provenance($gtin: GTIN!, $lot: String!, $lang: String, $serial: String! = "", $hasSerial: Boolean! = false) {
  productByGtin(gtin: $gtin) {
    gtin
    name(lang: $lang) {
      text
      lang
    }
    description(lang: $lang) {
      text
    }
    brand
    images {
      url
      alt(lang: $lang) {
        text
      }
    }
    certifications {
      schemeName
      issuer
      number
      stars
      validFrom
      validTo
      status
    }
    owner {
      name(lang: $lang) {
        text
      }
      address
      gln
    }
    lot(code: $lot) {
      id
      lotCode
      status
      producedOn
      expiresOn
      season
      lastChangedAt
      productionAreaId
      timeline(lang: $lang) {
        bizStepLabel
        dispositionLabel
        eventTime
        bizLocation
        readPoint
        corrects
        correctedBy
        organizationId
      }
      activeRecall {
        reason
        severity
        openedAt
      }
      item(serial: $serial) @include(if: $hasSerial) {
        state
        reasonCode
        reason(lang: $lang)
      }
      origin {
        depth
        relation
        disclosed
        lotCode
        season
        producedOn
        producerId
        productionAreaId
        steps(lang: $lang) {
          bizStepLabel
          eventTime
          correctedBy
          corrects
          organizationId
        }
      }
      journeyOrganizations {
        id
        name(lang: $lang) {
          text
        }
        gln
      }
      journeyAreas {
        id
        code
        name(lang: $lang) {
          text
        }
        commune
        hectares
        crop
        certifications {
          schemeName
          status
          validTo
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ProvenanceQuery, ProvenanceQueryVariables>;
export const VerifyDocument = new TypedDocumentString(`
    mutation Verify($input: VerifyItemInput!) {
  verifyItem(input: $input) {
    result
    firstVerifiedAt
    firstVerifiedPlace
  }
}
    `) as unknown as TypedDocumentString<VerifyMutation, VerifyMutationVariables>;
export const ScanDocument = new TypedDocumentString(`
    mutation Scan($input: RecordScanInput!) {
  recordScan(input: $input) {
    recorded
    scanId
  }
}
    `) as unknown as TypedDocumentString<ScanMutation, ScanMutationVariables>;