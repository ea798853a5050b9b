import { DateScalar, DateTimeScalar, GTINScalar } from '@nguon/shared';
import { JSONScalar } from '@nguon/shared/json';
import type { Resolvers } from '../generated/graphql';
import type { ComplaintLimits } from '../services/complaints';
import { consumerResolvers, type ConsumerOptions } from './Consumer';
import { complaintResolvers } from './Complaint';
import { CaptureJob, EpcisMutation, EpcisQuery, TraceEventEpcis } from './Epcis';
import { Lot, Organization, Product } from './Lot';
import { CaptureEventsPayload, Mutation } from './Mutation';
import { NationalOutbox, NationalOutboxEntry, NationalOutboxQuery } from './NationalOutbox';
import { ItemCheck, LotOrigin, OriginStage, SuspiciousItem } from './Origin';
import { Notification, NotificationMutation, NotificationQuery } from './Notification';
import { Query } from './Query';
import { SerialLockMutation } from './SerialLocks';
import { RecallExtra, RecallQuery, RecallTask } from './Recall';
import {
  ChainVerification,
  CustodyHop,
  ErrorDeclaration,
  EventParty,
  QuantityElement,
  Recall,
  RecallLot,
  TimelineEntry,
  TracedLot,
  TraceEvent,
  TraceResult,
} from './TraceEvent';

/**
 * Every resolver of the trace graph, typed by codegen. A type's fields may
 * come from more than one file (the EPCIS and consumer-facing fields of
 * TraceEvent, Lot and Product); they are merged here, once.
 */
export function traceResolvers(consumerOptions: ConsumerOptions, complaintLimits?: ComplaintLimits): Resolvers {
  const consumer = consumerResolvers(consumerOptions);
  const complaints = complaintResolvers(complaintLimits);
  return {
    Date: DateScalar,
    DateTime: DateTimeScalar,
    JSON: JSONScalar,
    GTIN: GTINScalar,
    Query: { ...Query, ...EpcisQuery, ...NationalOutboxQuery, ...RecallQuery, ...NotificationQuery, ...complaints.Query },
    Mutation: { ...Mutation, ...EpcisMutation, ...consumer.Mutation, ...NotificationMutation, ...complaints.Mutation, ...SerialLockMutation },
    CaptureJob,
    CaptureEventsPayload,
    NationalOutbox,
    NationalOutboxEntry,
    Lot: { ...Lot, ...consumer.Lot, ...LotOrigin, ...complaints.Lot },
    OriginStage,
    ItemCheck,
    SuspiciousItem,
    Product: { ...Product, ...consumer.Product },
    Organization,
    TraceEvent: { ...TraceEvent, ...TraceEventEpcis },
    TimelineEntry,
    QuantityElement,
    EventParty,
    ErrorDeclaration,
    TracedLot,
    TraceResult,
    CustodyHop,
    Recall: { ...Recall, ...RecallExtra },
    RecallLot,
    RecallTask,
    Notification,
    ChainVerification,
    Complaint: complaints.Complaint,
    ComplaintConnection: complaints.ComplaintConnection,
    ComplaintGroup: complaints.ComplaintGroup,
  };
}
