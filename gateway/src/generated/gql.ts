/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation EpcisSubmitCapture($input: CaptureEventsInput!) {\n    submitCaptureJob(input: $input) {\n      id\n    }\n  }\n": typeof types.EpcisSubmitCaptureDocument,
    "\n  query EpcisCaptureJob($id: ID!) {\n    captureJob(id: $id) {\n      id\n      status\n      eventCount\n      createdCount\n      duplicateCount\n      errors {\n        message\n        code\n        field\n      }\n      createdAt\n      finishedAt\n    }\n  }\n": typeof types.EpcisCaptureJobDocument,
    "\n  mutation EpcisCaptureOne($input: CaptureEventsInput!) {\n    captureEvents(input: $input) {\n      createdCount\n      events {\n        eventID\n      }\n    }\n  }\n": typeof types.EpcisCaptureOneDocument,
    "\n  fragment FsmaOrganization on Organization {\n    name {\n      text\n    }\n    address\n    gln\n    path\n  }\n": typeof types.FsmaOrganizationFragmentDoc,
    "\n  fragment FsmaLot on QuantityElement {\n    lotId\n    quantity\n    unit\n    lot {\n      lotCode\n      product {\n        id\n        gtin\n        name {\n          text\n        }\n      }\n      owner {\n        ...FsmaOrganization\n      }\n      productionArea {\n        name {\n          text\n        }\n        gln\n        glnExtension\n      }\n    }\n  }\n": typeof types.FsmaLotFragmentDoc,
    "\n  query FsmaEvents($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        eventID\n        type\n        bizStep\n        localEventTime\n        readPoint\n        bizLocation\n        organization {\n          ...FsmaOrganization\n        }\n        quantities {\n          ...FsmaLot\n        }\n        inputs {\n          ...FsmaLot\n        }\n        outputs {\n          ...FsmaLot\n        }\n        sourceParties {\n          type\n          organization {\n            ...FsmaOrganization\n          }\n        }\n        destinationParties {\n          type\n          organization {\n            ...FsmaOrganization\n          }\n        }\n        bizTransactions {\n          type\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.FsmaEventsDocument,
    "\n  fragment FsmaProductLots on Product {\n    id\n    gtin\n    lots(first: 100, after: $after) {\n      nodes {\n        id\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.FsmaProductLotsFragmentDoc,
    "\n  query FsmaProductByGtin($gtin: GTIN!, $after: String) {\n    product: productByGtin(gtin: $gtin) {\n      ...FsmaProductLots\n    }\n  }\n": typeof types.FsmaProductByGtinDocument,
    "\n  query FsmaProduct($id: ID!, $after: String) {\n    product(id: $id) {\n      ...FsmaProductLots\n    }\n  }\n": typeof types.FsmaProductDocument,
    "\n  fragment VnLot on Lot {\n    id\n    lotCode\n    status\n    producedOn\n    expiresOn\n    season\n    digitalLink\n    product {\n      id\n      gtin\n      brand\n      name(lang: $lang) {\n        text\n        lang\n      }\n      images {\n        url\n      }\n      certifications {\n        schemeName\n        issuer\n        number\n        validFrom\n        validTo\n        status\n      }\n    }\n    owner {\n      id\n      name(lang: $lang) {\n        text\n      }\n      address\n      gln\n      path\n    }\n    timeline(lang: $lang) {\n      eventID\n      bizStep\n      bizStepLabel\n      localEventTime\n      bizLocation\n      readPoint\n      corrects\n      organization {\n        name(lang: $lang) {\n          text\n        }\n        gln\n        path\n      }\n    }\n  }\n": typeof types.VnLotFragmentDoc,
    "\n  query VnLot($id: ID!, $lang: String) {\n    lot(id: $id) {\n      ...VnLot\n    }\n  }\n": typeof types.VnLotDocument,
    "\n  query VnProducerLots($id: ID!, $lang: String, $after: String) {\n    lots(ownerId: $id, first: 20, after: $after) {\n      nodes {\n        ...VnLot\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.VnProducerLotsDocument,
    "\n  query VnOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n    }\n  }\n": typeof types.VnOrganizationDocument,
    "\n  query ExportEvents($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...EpcisEvent\n        sourceParties {\n          organization {\n            gln\n          }\n        }\n        destinationParties {\n          organization {\n            gln\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ExportEventsDocument,
    "\n  query ExportTraceLots($id: ID!, $d: TraceDirection!, $depth: Int) {\n    trace(lotId: $id, direction: $d, maxDepth: $depth) {\n      lots {\n        id\n      }\n    }\n  }\n": typeof types.ExportTraceLotsDocument,
    "\n  query EpcisLotsOfGtin($gtin: GTIN!, $after: String) {\n    productByGtin(gtin: $gtin) {\n      lots(first: 100, after: $after) {\n        nodes {\n          id\n          lotCode\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.EpcisLotsOfGtinDocument,
    "\n  fragment EpcisEvent on TraceEvent {\n    eventID\n    eventHash\n    type\n    action\n    bizStep\n    disposition\n    localEventTime\n    eventTimeZoneOffset\n    recordTime\n    readPoint\n    bizLocation\n    certificationInfo\n    errorDeclaration {\n      declarationTime\n      reason\n      correctedEventID\n      correctiveEventIDs\n    }\n    quantities {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    inputs {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    outputs {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    parentLotId\n    parentEpcClass\n    bizTransactions {\n      type\n      id\n    }\n    ilmd\n    sensorReadings\n    epcs\n    inputEPCs\n    outputEPCs\n    parentID\n    extensions\n    sourceParties {\n      type\n      id\n      organization {\n        id\n      }\n    }\n    destinationParties {\n      type\n      id\n      organization {\n        id\n      }\n    }\n  }\n": typeof types.EpcisEventFragmentDoc,
    "\n  fragment EpcisPublicEvent on TraceEvent {\n    eventID\n    eventHash\n    type\n    action\n    bizStep\n    disposition\n    localEventTime\n    eventTimeZoneOffset\n    recordTime\n    readPoint\n    bizLocation\n    certificationInfo\n    errorDeclaration {\n      declarationTime\n      reason\n      correctedEventID\n      correctiveEventIDs\n    }\n  }\n": typeof types.EpcisPublicEventFragmentDoc,
    "\n  query EpcisEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {\n    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {\n      nodes {\n        ...EpcisEvent\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.EpcisEventsDocument,
    "\n  query EpcisPublicEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {\n    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {\n      nodes {\n        ...EpcisPublicEvent\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.EpcisPublicEventsDocument,
    "\n  query EventIds($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        eventID\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.EventIdsDocument,
    "\n  query EpcisNamedQueries {\n    epcisQueries {\n      name\n      query\n    }\n  }\n": typeof types.EpcisNamedQueriesDocument,
    "\n  query EpcisNamedQuery($name: String!) {\n    epcisQuery(name: $name) {\n      name\n      query\n    }\n  }\n": typeof types.EpcisNamedQueryDocument,
    "\n  mutation CreateEpcisQuery($input: CreateEpcisQueryInput!) {\n    createEpcisQuery(input: $input) {\n      name\n    }\n  }\n": typeof types.CreateEpcisQueryDocument,
    "\n  mutation DeleteEpcisQuery($name: String!) {\n    deleteEpcisQuery(name: $name)\n  }\n": typeof types.DeleteEpcisQueryDocument,
    "\n  query LabelLot($id: ID!) {\n    lot(id: $id) {\n      lotCode\n      expiresOn\n      product {\n        gtin\n        name {\n          text\n        }\n      }\n    }\n    own: lot(id: $id) {\n      quantity\n    }\n  }\n": typeof types.LabelLotDocument,
    "\n  query ReportLot($gtin: GTIN!, $lot: String!, $lang: String) {\n    productByGtin(gtin: $gtin) {\n      gtin\n      name(lang: $lang) {\n        text\n      }\n      lot(code: $lot) {\n        id\n        lotCode\n        status\n      }\n    }\n  }\n": typeof types.ReportLotDocument,
    "\n  mutation ReportProblem($input: ReportProblemInput!) {\n    reportProblem(input: $input) {\n      receipt\n      status\n    }\n  }\n": typeof types.ReportProblemDocument,
    "\n  query ComplaintStatus($receipt: String!) {\n    complaintReceipt(receipt: $receipt) {\n      receipt\n      status\n      category\n      createdAt\n      updatedAt\n      resolution\n      recalled\n    }\n  }\n": typeof types.ComplaintStatusDocument,
    "\n  query Provenance($gtin: GTIN!, $lot: String!, $lang: String, $serial: String! = \"\", $hasSerial: Boolean! = false) {\n    productByGtin(gtin: $gtin) {\n      gtin\n      name(lang: $lang) {\n        text\n        lang\n      }\n      description(lang: $lang) {\n        text\n      }\n      brand\n      images {\n        url\n        alt(lang: $lang) {\n          text\n        }\n      }\n      certifications {\n        schemeName\n        issuer\n        number\n        stars\n        validFrom\n        validTo\n        status\n      }\n      owner {\n        name(lang: $lang) {\n          text\n        }\n        address\n        gln\n      }\n      lot(code: $lot) {\n        id\n        lotCode\n        status\n        producedOn\n        expiresOn\n        season\n        lastChangedAt\n        productionAreaId\n        timeline(lang: $lang) {\n          bizStepLabel\n          dispositionLabel\n          eventTime\n          bizLocation\n          readPoint\n          corrects\n          correctedBy\n          organizationId\n        }\n        activeRecall {\n          reason\n          severity\n          openedAt\n        }\n        item(serial: $serial) @include(if: $hasSerial) {\n          state\n          reasonCode\n          reason(lang: $lang)\n        }\n        origin {\n          depth\n          relation\n          disclosed\n          lotCode\n          season\n          producedOn\n          producerId\n          productionAreaId\n          steps(lang: $lang) {\n            bizStepLabel\n            eventTime\n            correctedBy\n            corrects\n            organizationId\n          }\n        }\n        journeyOrganizations {\n          id\n          name(lang: $lang) {\n            text\n          }\n          gln\n        }\n        journeyAreas {\n          id\n          code\n          name(lang: $lang) {\n            text\n          }\n          commune\n          hectares\n          crop\n          certifications {\n            schemeName\n            status\n            validTo\n          }\n        }\n      }\n    }\n  }\n": typeof types.ProvenanceDocument,
    "\n  mutation Verify($input: VerifyItemInput!) {\n    verifyItem(input: $input) {\n      result\n      firstVerifiedAt\n      firstVerifiedPlace\n    }\n  }\n": typeof types.VerifyDocument,
    "\n  mutation Scan($input: RecordScanInput!) {\n    recordScan(input: $input) {\n      recorded\n      scanId\n    }\n  }\n": typeof types.ScanDocument,
};
const documents: Documents = {
    "\n  mutation EpcisSubmitCapture($input: CaptureEventsInput!) {\n    submitCaptureJob(input: $input) {\n      id\n    }\n  }\n": types.EpcisSubmitCaptureDocument,
    "\n  query EpcisCaptureJob($id: ID!) {\n    captureJob(id: $id) {\n      id\n      status\n      eventCount\n      createdCount\n      duplicateCount\n      errors {\n        message\n        code\n        field\n      }\n      createdAt\n      finishedAt\n    }\n  }\n": types.EpcisCaptureJobDocument,
    "\n  mutation EpcisCaptureOne($input: CaptureEventsInput!) {\n    captureEvents(input: $input) {\n      createdCount\n      events {\n        eventID\n      }\n    }\n  }\n": types.EpcisCaptureOneDocument,
    "\n  fragment FsmaOrganization on Organization {\n    name {\n      text\n    }\n    address\n    gln\n    path\n  }\n": types.FsmaOrganizationFragmentDoc,
    "\n  fragment FsmaLot on QuantityElement {\n    lotId\n    quantity\n    unit\n    lot {\n      lotCode\n      product {\n        id\n        gtin\n        name {\n          text\n        }\n      }\n      owner {\n        ...FsmaOrganization\n      }\n      productionArea {\n        name {\n          text\n        }\n        gln\n        glnExtension\n      }\n    }\n  }\n": types.FsmaLotFragmentDoc,
    "\n  query FsmaEvents($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        eventID\n        type\n        bizStep\n        localEventTime\n        readPoint\n        bizLocation\n        organization {\n          ...FsmaOrganization\n        }\n        quantities {\n          ...FsmaLot\n        }\n        inputs {\n          ...FsmaLot\n        }\n        outputs {\n          ...FsmaLot\n        }\n        sourceParties {\n          type\n          organization {\n            ...FsmaOrganization\n          }\n        }\n        destinationParties {\n          type\n          organization {\n            ...FsmaOrganization\n          }\n        }\n        bizTransactions {\n          type\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.FsmaEventsDocument,
    "\n  fragment FsmaProductLots on Product {\n    id\n    gtin\n    lots(first: 100, after: $after) {\n      nodes {\n        id\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.FsmaProductLotsFragmentDoc,
    "\n  query FsmaProductByGtin($gtin: GTIN!, $after: String) {\n    product: productByGtin(gtin: $gtin) {\n      ...FsmaProductLots\n    }\n  }\n": types.FsmaProductByGtinDocument,
    "\n  query FsmaProduct($id: ID!, $after: String) {\n    product(id: $id) {\n      ...FsmaProductLots\n    }\n  }\n": types.FsmaProductDocument,
    "\n  fragment VnLot on Lot {\n    id\n    lotCode\n    status\n    producedOn\n    expiresOn\n    season\n    digitalLink\n    product {\n      id\n      gtin\n      brand\n      name(lang: $lang) {\n        text\n        lang\n      }\n      images {\n        url\n      }\n      certifications {\n        schemeName\n        issuer\n        number\n        validFrom\n        validTo\n        status\n      }\n    }\n    owner {\n      id\n      name(lang: $lang) {\n        text\n      }\n      address\n      gln\n      path\n    }\n    timeline(lang: $lang) {\n      eventID\n      bizStep\n      bizStepLabel\n      localEventTime\n      bizLocation\n      readPoint\n      corrects\n      organization {\n        name(lang: $lang) {\n          text\n        }\n        gln\n        path\n      }\n    }\n  }\n": types.VnLotFragmentDoc,
    "\n  query VnLot($id: ID!, $lang: String) {\n    lot(id: $id) {\n      ...VnLot\n    }\n  }\n": types.VnLotDocument,
    "\n  query VnProducerLots($id: ID!, $lang: String, $after: String) {\n    lots(ownerId: $id, first: 20, after: $after) {\n      nodes {\n        ...VnLot\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.VnProducerLotsDocument,
    "\n  query VnOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n    }\n  }\n": types.VnOrganizationDocument,
    "\n  query ExportEvents($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...EpcisEvent\n        sourceParties {\n          organization {\n            gln\n          }\n        }\n        destinationParties {\n          organization {\n            gln\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ExportEventsDocument,
    "\n  query ExportTraceLots($id: ID!, $d: TraceDirection!, $depth: Int) {\n    trace(lotId: $id, direction: $d, maxDepth: $depth) {\n      lots {\n        id\n      }\n    }\n  }\n": types.ExportTraceLotsDocument,
    "\n  query EpcisLotsOfGtin($gtin: GTIN!, $after: String) {\n    productByGtin(gtin: $gtin) {\n      lots(first: 100, after: $after) {\n        nodes {\n          id\n          lotCode\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.EpcisLotsOfGtinDocument,
    "\n  fragment EpcisEvent on TraceEvent {\n    eventID\n    eventHash\n    type\n    action\n    bizStep\n    disposition\n    localEventTime\n    eventTimeZoneOffset\n    recordTime\n    readPoint\n    bizLocation\n    certificationInfo\n    errorDeclaration {\n      declarationTime\n      reason\n      correctedEventID\n      correctiveEventIDs\n    }\n    quantities {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    inputs {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    outputs {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    parentLotId\n    parentEpcClass\n    bizTransactions {\n      type\n      id\n    }\n    ilmd\n    sensorReadings\n    epcs\n    inputEPCs\n    outputEPCs\n    parentID\n    extensions\n    sourceParties {\n      type\n      id\n      organization {\n        id\n      }\n    }\n    destinationParties {\n      type\n      id\n      organization {\n        id\n      }\n    }\n  }\n": types.EpcisEventFragmentDoc,
    "\n  fragment EpcisPublicEvent on TraceEvent {\n    eventID\n    eventHash\n    type\n    action\n    bizStep\n    disposition\n    localEventTime\n    eventTimeZoneOffset\n    recordTime\n    readPoint\n    bizLocation\n    certificationInfo\n    errorDeclaration {\n      declarationTime\n      reason\n      correctedEventID\n      correctiveEventIDs\n    }\n  }\n": types.EpcisPublicEventFragmentDoc,
    "\n  query EpcisEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {\n    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {\n      nodes {\n        ...EpcisEvent\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.EpcisEventsDocument,
    "\n  query EpcisPublicEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {\n    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {\n      nodes {\n        ...EpcisPublicEvent\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.EpcisPublicEventsDocument,
    "\n  query EventIds($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        eventID\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.EventIdsDocument,
    "\n  query EpcisNamedQueries {\n    epcisQueries {\n      name\n      query\n    }\n  }\n": types.EpcisNamedQueriesDocument,
    "\n  query EpcisNamedQuery($name: String!) {\n    epcisQuery(name: $name) {\n      name\n      query\n    }\n  }\n": types.EpcisNamedQueryDocument,
    "\n  mutation CreateEpcisQuery($input: CreateEpcisQueryInput!) {\n    createEpcisQuery(input: $input) {\n      name\n    }\n  }\n": types.CreateEpcisQueryDocument,
    "\n  mutation DeleteEpcisQuery($name: String!) {\n    deleteEpcisQuery(name: $name)\n  }\n": types.DeleteEpcisQueryDocument,
    "\n  query LabelLot($id: ID!) {\n    lot(id: $id) {\n      lotCode\n      expiresOn\n      product {\n        gtin\n        name {\n          text\n        }\n      }\n    }\n    own: lot(id: $id) {\n      quantity\n    }\n  }\n": types.LabelLotDocument,
    "\n  query ReportLot($gtin: GTIN!, $lot: String!, $lang: String) {\n    productByGtin(gtin: $gtin) {\n      gtin\n      name(lang: $lang) {\n        text\n      }\n      lot(code: $lot) {\n        id\n        lotCode\n        status\n      }\n    }\n  }\n": types.ReportLotDocument,
    "\n  mutation ReportProblem($input: ReportProblemInput!) {\n    reportProblem(input: $input) {\n      receipt\n      status\n    }\n  }\n": types.ReportProblemDocument,
    "\n  query ComplaintStatus($receipt: String!) {\n    complaintReceipt(receipt: $receipt) {\n      receipt\n      status\n      category\n      createdAt\n      updatedAt\n      resolution\n      recalled\n    }\n  }\n": types.ComplaintStatusDocument,
    "\n  query Provenance($gtin: GTIN!, $lot: String!, $lang: String, $serial: String! = \"\", $hasSerial: Boolean! = false) {\n    productByGtin(gtin: $gtin) {\n      gtin\n      name(lang: $lang) {\n        text\n        lang\n      }\n      description(lang: $lang) {\n        text\n      }\n      brand\n      images {\n        url\n        alt(lang: $lang) {\n          text\n        }\n      }\n      certifications {\n        schemeName\n        issuer\n        number\n        stars\n        validFrom\n        validTo\n        status\n      }\n      owner {\n        name(lang: $lang) {\n          text\n        }\n        address\n        gln\n      }\n      lot(code: $lot) {\n        id\n        lotCode\n        status\n        producedOn\n        expiresOn\n        season\n        lastChangedAt\n        productionAreaId\n        timeline(lang: $lang) {\n          bizStepLabel\n          dispositionLabel\n          eventTime\n          bizLocation\n          readPoint\n          corrects\n          correctedBy\n          organizationId\n        }\n        activeRecall {\n          reason\n          severity\n          openedAt\n        }\n        item(serial: $serial) @include(if: $hasSerial) {\n          state\n          reasonCode\n          reason(lang: $lang)\n        }\n        origin {\n          depth\n          relation\n          disclosed\n          lotCode\n          season\n          producedOn\n          producerId\n          productionAreaId\n          steps(lang: $lang) {\n            bizStepLabel\n            eventTime\n            correctedBy\n            corrects\n            organizationId\n          }\n        }\n        journeyOrganizations {\n          id\n          name(lang: $lang) {\n            text\n          }\n          gln\n        }\n        journeyAreas {\n          id\n          code\n          name(lang: $lang) {\n            text\n          }\n          commune\n          hectares\n          crop\n          certifications {\n            schemeName\n            status\n            validTo\n          }\n        }\n      }\n    }\n  }\n": types.ProvenanceDocument,
    "\n  mutation Verify($input: VerifyItemInput!) {\n    verifyItem(input: $input) {\n      result\n      firstVerifiedAt\n      firstVerifiedPlace\n    }\n  }\n": types.VerifyDocument,
    "\n  mutation Scan($input: RecordScanInput!) {\n    recordScan(input: $input) {\n      recorded\n      scanId\n    }\n  }\n": types.ScanDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EpcisSubmitCapture($input: CaptureEventsInput!) {\n    submitCaptureJob(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').EpcisSubmitCaptureDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EpcisCaptureJob($id: ID!) {\n    captureJob(id: $id) {\n      id\n      status\n      eventCount\n      createdCount\n      duplicateCount\n      errors {\n        message\n        code\n        field\n      }\n      createdAt\n      finishedAt\n    }\n  }\n"): typeof import('./graphql').EpcisCaptureJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EpcisCaptureOne($input: CaptureEventsInput!) {\n    captureEvents(input: $input) {\n      createdCount\n      events {\n        eventID\n      }\n    }\n  }\n"): typeof import('./graphql').EpcisCaptureOneDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FsmaOrganization on Organization {\n    name {\n      text\n    }\n    address\n    gln\n    path\n  }\n"): typeof import('./graphql').FsmaOrganizationFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FsmaLot on QuantityElement {\n    lotId\n    quantity\n    unit\n    lot {\n      lotCode\n      product {\n        id\n        gtin\n        name {\n          text\n        }\n      }\n      owner {\n        ...FsmaOrganization\n      }\n      productionArea {\n        name {\n          text\n        }\n        gln\n        glnExtension\n      }\n    }\n  }\n"): typeof import('./graphql').FsmaLotFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FsmaEvents($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        eventID\n        type\n        bizStep\n        localEventTime\n        readPoint\n        bizLocation\n        organization {\n          ...FsmaOrganization\n        }\n        quantities {\n          ...FsmaLot\n        }\n        inputs {\n          ...FsmaLot\n        }\n        outputs {\n          ...FsmaLot\n        }\n        sourceParties {\n          type\n          organization {\n            ...FsmaOrganization\n          }\n        }\n        destinationParties {\n          type\n          organization {\n            ...FsmaOrganization\n          }\n        }\n        bizTransactions {\n          type\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').FsmaEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment FsmaProductLots on Product {\n    id\n    gtin\n    lots(first: 100, after: $after) {\n      nodes {\n        id\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').FsmaProductLotsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FsmaProductByGtin($gtin: GTIN!, $after: String) {\n    product: productByGtin(gtin: $gtin) {\n      ...FsmaProductLots\n    }\n  }\n"): typeof import('./graphql').FsmaProductByGtinDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FsmaProduct($id: ID!, $after: String) {\n    product(id: $id) {\n      ...FsmaProductLots\n    }\n  }\n"): typeof import('./graphql').FsmaProductDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VnLot on Lot {\n    id\n    lotCode\n    status\n    producedOn\n    expiresOn\n    season\n    digitalLink\n    product {\n      id\n      gtin\n      brand\n      name(lang: $lang) {\n        text\n        lang\n      }\n      images {\n        url\n      }\n      certifications {\n        schemeName\n        issuer\n        number\n        validFrom\n        validTo\n        status\n      }\n    }\n    owner {\n      id\n      name(lang: $lang) {\n        text\n      }\n      address\n      gln\n      path\n    }\n    timeline(lang: $lang) {\n      eventID\n      bizStep\n      bizStepLabel\n      localEventTime\n      bizLocation\n      readPoint\n      corrects\n      organization {\n        name(lang: $lang) {\n          text\n        }\n        gln\n        path\n      }\n    }\n  }\n"): typeof import('./graphql').VnLotFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VnLot($id: ID!, $lang: String) {\n    lot(id: $id) {\n      ...VnLot\n    }\n  }\n"): typeof import('./graphql').VnLotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VnProducerLots($id: ID!, $lang: String, $after: String) {\n    lots(ownerId: $id, first: 20, after: $after) {\n      nodes {\n        ...VnLot\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').VnProducerLotsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VnOrganization($id: ID!) {\n    organization(id: $id) {\n      id\n    }\n  }\n"): typeof import('./graphql').VnOrganizationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportEvents($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        ...EpcisEvent\n        sourceParties {\n          organization {\n            gln\n          }\n        }\n        destinationParties {\n          organization {\n            gln\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').ExportEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportTraceLots($id: ID!, $d: TraceDirection!, $depth: Int) {\n    trace(lotId: $id, direction: $d, maxDepth: $depth) {\n      lots {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').ExportTraceLotsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EpcisLotsOfGtin($gtin: GTIN!, $after: String) {\n    productByGtin(gtin: $gtin) {\n      lots(first: 100, after: $after) {\n        nodes {\n          id\n          lotCode\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').EpcisLotsOfGtinDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EpcisEvent on TraceEvent {\n    eventID\n    eventHash\n    type\n    action\n    bizStep\n    disposition\n    localEventTime\n    eventTimeZoneOffset\n    recordTime\n    readPoint\n    bizLocation\n    certificationInfo\n    errorDeclaration {\n      declarationTime\n      reason\n      correctedEventID\n      correctiveEventIDs\n    }\n    quantities {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    inputs {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    outputs {\n      lotId\n      epcClass\n      quantity\n      unit\n    }\n    parentLotId\n    parentEpcClass\n    bizTransactions {\n      type\n      id\n    }\n    ilmd\n    sensorReadings\n    epcs\n    inputEPCs\n    outputEPCs\n    parentID\n    extensions\n    sourceParties {\n      type\n      id\n      organization {\n        id\n      }\n    }\n    destinationParties {\n      type\n      id\n      organization {\n        id\n      }\n    }\n  }\n"): typeof import('./graphql').EpcisEventFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EpcisPublicEvent on TraceEvent {\n    eventID\n    eventHash\n    type\n    action\n    bizStep\n    disposition\n    localEventTime\n    eventTimeZoneOffset\n    recordTime\n    readPoint\n    bizLocation\n    certificationInfo\n    errorDeclaration {\n      declarationTime\n      reason\n      correctedEventID\n      correctiveEventIDs\n    }\n  }\n"): typeof import('./graphql').EpcisPublicEventFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EpcisEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {\n    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {\n      nodes {\n        ...EpcisEvent\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').EpcisEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EpcisPublicEvents($filter: EventFilter!, $first: Int, $after: String, $orderBy: EventOrderBy, $orderDirection: OrderDirection) {\n    events(filter: $filter, first: $first, after: $after, orderBy: $orderBy, orderDirection: $orderDirection) {\n      nodes {\n        ...EpcisPublicEvent\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').EpcisPublicEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EventIds($filter: EventFilter!, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      nodes {\n        eventID\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql').EventIdsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EpcisNamedQueries {\n    epcisQueries {\n      name\n      query\n    }\n  }\n"): typeof import('./graphql').EpcisNamedQueriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EpcisNamedQuery($name: String!) {\n    epcisQuery(name: $name) {\n      name\n      query\n    }\n  }\n"): typeof import('./graphql').EpcisNamedQueryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEpcisQuery($input: CreateEpcisQueryInput!) {\n    createEpcisQuery(input: $input) {\n      name\n    }\n  }\n"): typeof import('./graphql').CreateEpcisQueryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteEpcisQuery($name: String!) {\n    deleteEpcisQuery(name: $name)\n  }\n"): typeof import('./graphql').DeleteEpcisQueryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LabelLot($id: ID!) {\n    lot(id: $id) {\n      lotCode\n      expiresOn\n      product {\n        gtin\n        name {\n          text\n        }\n      }\n    }\n    own: lot(id: $id) {\n      quantity\n    }\n  }\n"): typeof import('./graphql').LabelLotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReportLot($gtin: GTIN!, $lot: String!, $lang: String) {\n    productByGtin(gtin: $gtin) {\n      gtin\n      name(lang: $lang) {\n        text\n      }\n      lot(code: $lot) {\n        id\n        lotCode\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').ReportLotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReportProblem($input: ReportProblemInput!) {\n    reportProblem(input: $input) {\n      receipt\n      status\n    }\n  }\n"): typeof import('./graphql').ReportProblemDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ComplaintStatus($receipt: String!) {\n    complaintReceipt(receipt: $receipt) {\n      receipt\n      status\n      category\n      createdAt\n      updatedAt\n      resolution\n      recalled\n    }\n  }\n"): typeof import('./graphql').ComplaintStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Provenance($gtin: GTIN!, $lot: String!, $lang: String, $serial: String! = \"\", $hasSerial: Boolean! = false) {\n    productByGtin(gtin: $gtin) {\n      gtin\n      name(lang: $lang) {\n        text\n        lang\n      }\n      description(lang: $lang) {\n        text\n      }\n      brand\n      images {\n        url\n        alt(lang: $lang) {\n          text\n        }\n      }\n      certifications {\n        schemeName\n        issuer\n        number\n        stars\n        validFrom\n        validTo\n        status\n      }\n      owner {\n        name(lang: $lang) {\n          text\n        }\n        address\n        gln\n      }\n      lot(code: $lot) {\n        id\n        lotCode\n        status\n        producedOn\n        expiresOn\n        season\n        lastChangedAt\n        productionAreaId\n        timeline(lang: $lang) {\n          bizStepLabel\n          dispositionLabel\n          eventTime\n          bizLocation\n          readPoint\n          corrects\n          correctedBy\n          organizationId\n        }\n        activeRecall {\n          reason\n          severity\n          openedAt\n        }\n        item(serial: $serial) @include(if: $hasSerial) {\n          state\n          reasonCode\n          reason(lang: $lang)\n        }\n        origin {\n          depth\n          relation\n          disclosed\n          lotCode\n          season\n          producedOn\n          producerId\n          productionAreaId\n          steps(lang: $lang) {\n            bizStepLabel\n            eventTime\n            correctedBy\n            corrects\n            organizationId\n          }\n        }\n        journeyOrganizations {\n          id\n          name(lang: $lang) {\n            text\n          }\n          gln\n        }\n        journeyAreas {\n          id\n          code\n          name(lang: $lang) {\n            text\n          }\n          commune\n          hectares\n          crop\n          certifications {\n            schemeName\n            status\n            validTo\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ProvenanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Verify($input: VerifyItemInput!) {\n    verifyItem(input: $input) {\n      result\n      firstVerifiedAt\n      firstVerifiedPlace\n    }\n  }\n"): typeof import('./graphql').VerifyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Scan($input: RecordScanInput!) {\n    recordScan(input: $input) {\n      recorded\n      scanId\n    }\n  }\n"): typeof import('./graphql').ScanDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
