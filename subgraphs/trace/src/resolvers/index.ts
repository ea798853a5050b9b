import { DateScalar, DateTimeScalar, GTINScalar } from '@nguon/shared';
import { JSONScalar } from '@nguon/shared/json';
import type { Resolvers } from '../generated/graphql';
import { consumerResolvers, type ConsumerOptions } from './Consumer';
import { CaptureJob, EpcisMutation, EpcisQuery, TraceEventEpcis } from './Epcis';
import { Lot, Organization, Product } from './Lot';
import { CaptureEventsPayload, Mutation } from './Mutation';
import { NationalOutbox, NationalOutboxEntry, NationalOutboxQuery } from './NationalOutbox';
import { Query } from './Query';
import { ChainVerification, CustodyHop, EventParty, QuantityElement, Recall, RecallLot, TimelineEntry, TracedLot, TraceEvent, TraceResult } from './TraceEvent';

/**
 * Every resolver of the trace graph, typed by codegen. A type's fields may
 * come from more than one file (the EPCIS and consumer-facing fields of
 * TraceEvent, Lot and Product); they are merged here, once.
 */
export function traceResolvers(consumerOptions: ConsumerOptions): Resolvers {
  const consumer = consumerResolvers(consumerOptions);
  return {
    Date: DateScalar,
    DateTime: DateTimeScalar,
    JSON: JSONScalar,
    GTIN: GTINScalar,
    Query: { ...Query, ...EpcisQuery, ...NationalOutboxQuery },
    Mutation: { ...Mutation, ...EpcisMutation, ...consumer.Mutation },
    CaptureJob,
    CaptureEventsPayload,
    NationalOutbox,
    NationalOutboxEntry,
    Lot: { ...Lot, ...consumer.Lot },
    Product: { ...Product, ...consumer.Product },
    Organization,
    TraceEvent: { ...TraceEvent, ...TraceEventEpcis },
    TimelineEntry,
    QuantityElement,
    EventParty,
    TracedLot,
    TraceResult,
    CustodyHop,
    Recall,
    RecallLot,
    ChainVerification,
  };
}
