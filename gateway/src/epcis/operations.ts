import { graphql } from '../generated';
import type { EpcisEventsQueryVariables, TypedDocumentString } from '../generated/graphql';

/**
 * The event pages the EPCIS bindings and the exports read through the graph
 * (typed by `npm run codegen` from schema/api.graphql). One page of `events`
 * per document, differing only in the fields each node carries.
 */

/** The graph fields the JSON-LD rendering needs. */
graphql(`
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
`);

/** The same, without INTERNAL fields: for events you may see but not read in full. */
graphql(`
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
`);

export const EVENTS_FULL = graphql(`
  query EpcisEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {
    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {
      nodes {
        ...EpcisEvent
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const EVENTS_PUBLIC = graphql(`
  query EpcisPublicEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {
    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {
      nodes {
        ...EpcisPublicEvent
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const EVENT_IDS = graphql(`
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
`);

/** The caller's EPCIS named queries (GET /queries). */
export const NAMED_QUERIES = graphql(`
  query EpcisNamedQueries {
    epcisQueries {
      name
      query
    }
  }
`);

export const NAMED_QUERY = graphql(`
  query EpcisNamedQuery($name: String!) {
    epcisQuery(name: $name) {
      name
      query
    }
  }
`);

export const CREATE_NAMED_QUERY = graphql(`
  mutation CreateEpcisQuery($input: CreateEpcisQueryInput!) {
    createEpcisQuery(input: $input) {
      name
    }
  }
`);

export const DELETE_NAMED_QUERY = graphql(`
  mutation DeleteEpcisQuery($name: String!) {
    deleteEpcisQuery(name: $name)
  }
`);

/** What a page of `events` holds, by node type. */
export type EventsPageResult<N> = { events: { nodes: N[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } };

/** Any of the event-page documents. */
export type EventsPage<N> = TypedDocumentString<EventsPageResult<N>, EpcisEventsQueryVariables>;
