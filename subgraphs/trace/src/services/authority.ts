import { GraphQLError } from 'graphql';
import { covers, ErrorCode, refused, type Database } from '@nguon/shared';
import { parseGs1Id } from '@nguon/gs1/epc';
import type { NormalizedEvent } from '../epcis/event';
import { heldLots, locationOwners } from '../data/custody';
import type { EventBody, LotModel } from '../models';

/**
 * Write authority over EPCIS events (docs/write-authority.md, "EPCIS
 * events"): what a capturing organization may say about which lots. Kept
 * apart from capture.ts so the rules read as the table they implement; the
 * recall service appends its `recalled` events without them (it is the
 * authority there, and checks its own).
 */

export interface Capturer {
  id: string;
  path: string;
  /** A supervising node (city, department, area): it may capture inspections only. */
  supervising: boolean;
}

/** FORBIDDEN naming the field, so a batch of thousands says which event and which field. */
const forbiddenAt = (message: string, field: string) => new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN, field: field.split('.') } });

const notOwner = (lotId: string, field: string, what: string) =>
  refused('NOT_OWNER', `Lot ${lotId} belongs to another organization: only its owner may ${what}.`, field);
const notCustodian = (lotId: string, field: string) =>
  refused('NOT_CUSTODIAN', `This organization does not hold lot ${lotId}: it must own it, or have it shipped to it, before writing events about it.`, field);

type Lists = [name: string, list: EventBody['quantityList']][];

/** The GLN a location names (13 digits, urn:epc:id:sgln:…, a Digital Link /414/ URI); null for anything else. */
export function glnOf(location: string | undefined): string | null {
  if (!location) return null;
  if (/^\d{13}$/.test(location)) return location;
  try {
    const id = parseGs1Id(location);
    return id.kind === 'sgln' || id.kind === 'pgln' ? id.gln : null;
  } catch {
    return null;
  }
}

/**
 * Checks every event of a batch against ownership and custody as stored
 * before the batch: the custody of every lot named, fetched in one statement.
 * An accepted event names only lots the capturer already owns or holds, so no
 * event of the batch gives a later one custody it did not have, and the order
 * of the events changes no verdict. The first refusal throws; nothing has
 * been written.
 *
 * `lots` holds every lot the batch names (checked to exist and be visible
 * before this runs).
 */
export async function authorizeEvents(
  db: Database,
  capturer: Capturer,
  batch: NormalizedEvent[],
  lots: ReadonlyMap<string, LotModel>,
  field = 'input.events',
): Promise<void> {
  const owns = (lotId: string) => lots.get(lotId)?.ownerId === capturer.id;
  // Custody is looked up only for lots the capturer does not own (an owner holds its own
  // lots), and never for supervising nodes, which hold no goods.
  const foreign = capturer.supervising ? [] : [...lots.keys()].filter((id) => !owns(id));
  const held = await heldLots(db, foreign, capturer.id);
  const holds = (lotId: string) => owns(lotId) || held.has(lotId);
  // A readPoint or bizLocation at premises another organization registered
  // (its GLN) would put the event at that company's door: only the capturer
  // and the nodes above it may name their own and their subtree's locations.
  // Each location is read once; the batch's GLNs are looked up in one statement.
  const glns = new Map<string, string | null>();
  const gln = (location: string | undefined) => {
    if (!location) return null;
    let g = glns.get(location);
    if (g === undefined) glns.set(location, (g = glnOf(location)));
    return g;
  };
  for (const e of batch) {
    gln(e.body.readPoint);
    gln(e.body.bizLocation);
  }
  const places = await locationOwners(db, [...new Set([...glns.values()].filter((g): g is string => !!g))]);
  const atForeignPlace = (location: string | undefined) => {
    const paths = places.get(gln(location) ?? '');
    return !!paths && !paths.some((p) => covers(capturer.path, p));
  };

  batch.forEach((event, index) => {
    const at = `${field}.${index}`;
    const b = event.body;
    // Only openRecall writes recalls, into each affected owner's chain.
    if (b.disposition === 'recalled') throw forbiddenAt('A recalled disposition is written by opening a recall, not captured.', `${at}.disposition`);

    for (const key of ['readPoint', 'bizLocation'] as const) {
      if (atForeignPlace(b[key]))
        throw forbiddenAt(`${b[key]} is the location of another organization: an event names the capturer's own premises (or its subtree's).`, `${at}.${key}`);
    }

    const named: Lists = [
      ['quantities', b.quantityList],
      ['inputs', b.inputQuantityList],
      ['outputs', b.outputQuantityList],
    ];
    if (capturer.supervising) {
      if (b.type !== 'OBJECT_EVENT' || b.action !== 'OBSERVE' || b.bizStep !== 'inspecting') {
        throw forbiddenAt(
          'A city, department or area captures inspections only: an OBJECT_EVENT, action OBSERVE, bizStep inspecting.',
          `${at}.${b.type !== 'OBJECT_EVENT' ? 'type' : b.action !== 'OBSERVE' ? 'action' : 'bizStep'}`,
        );
      }
      if (b.parentLotId) throw forbiddenAt('An inspection names its lots in quantities.', `${at}.parentLotId`);
      for (const [name, list] of named)
        list?.forEach((q, i) => {
          if (q.lotId && !covers(capturer.path, lots.get(q.lotId)!.scope.path))
            throw forbiddenAt(`Lot ${q.lotId} is not in this organization's subtree.`, `${at}.${name}.${i}.lotId`);
        });
      return;
    }

    // No one ships on another's behalf, nor receives for another (of our organizations: a party
    // named by a GLN no organization has is nobody here).
    if (b.bizStep === 'shipping')
      b.sourceList?.forEach((p, i) => {
        if (p.organizationId && p.organizationId !== capturer.id)
          throw forbiddenAt('The source of a shipment is the organization capturing it.', `${at}.sourceParties.${i}.${p.id ? 'id' : 'organizationId'}`);
      });
    if (b.bizStep === 'receiving')
      b.destinationList?.forEach((p, i) => {
        if (p.organizationId && p.organizationId !== capturer.id)
          throw forbiddenAt(
            'The destination of a receipt is the organization capturing it.',
            `${at}.destinationParties.${i}.${p.id ? 'id' : 'organizationId'}`,
          );
      });

    // A quantity of a class that is none of our lots (epcClass alone) names nothing we hold.
    const mustHold = (list: EventBody['quantityList'], name: string) =>
      list?.forEach((q, i) => {
        if (q.lotId && !holds(q.lotId)) throw notCustodian(q.lotId, `${at}.${name}.${i}.lotId`);
      });
    const mustOwn = (list: EventBody['quantityList'], name: string, what: string) =>
      list?.forEach((q, i) => {
        if (q.lotId && !owns(q.lotId)) throw notOwner(q.lotId, `${at}.${name}.${i}.lotId`, what);
      });

    // Receiving (any type): lots it holds, a shipment addressed to it among them (heldLots counts those).
    if (b.bizStep === 'receiving') {
      for (const [name, list] of named) mustHold(list, name);
      if (b.parentLotId && !holds(b.parentLotId)) throw notCustodian(b.parentLotId, `${at}.parentLotId`);
    } else if (b.type === 'OBJECT_EVENT' && b.action === 'ADD') {
      mustOwn(b.quantityList, 'quantities', 'commission it');
    } else if (b.type === 'TRANSFORMATION_EVENT') {
      mustHold(b.inputQuantityList, 'inputs');
      mustOwn(b.outputQuantityList, 'outputs', 'make it from a transformation');
    } else {
      // OBSERVE / DELETE object events, transactions, and the children of aggregations and associations.
      mustHold(b.quantityList, 'quantities');
      if (b.parentLotId && !holds(b.parentLotId)) throw notCustodian(b.parentLotId, `${at}.parentLotId`);
    }
  });
}
