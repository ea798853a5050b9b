import { canReadInternal } from '@nguon/shared';
import type { Context } from '../context';
import { custodyOf, reachWithEdges, type Direction } from '../data/genealogy';
import type { CustodyHopModel, TraceResultModel } from '../models';
import { loadVisibleLot } from '../resolvers/visibility';

/**
 * Follows the genealogy from a lot the viewer may see. The walk goes through
 * every lot, drafts included, so a hidden intermediate step does not cut the
 * chain; hidden lots come back as bare ids (their `lot` is null). Custody
 * hops are private to the parties and their supervisors and are filtered.
 */
export async function traceLot(ctx: Context, lotId: string, direction: Direction, maxDepth: number): Promise<TraceResultModel | null> {
  const start = await loadVisibleLot(ctx, lotId);
  if (!start) return null;
  const { lots, edges } = await reachWithEdges(ctx.db, start.id, direction, maxDepth);
  return { start, direction, maxDepth, lots, edges };
}

/** Custody hops of a trace's lots the viewer may see: read only when a client asks for them. */
export async function traceCustody(ctx: Context, trace: TraceResultModel): Promise<CustodyHopModel[]> {
  const hops = await custodyOf(
    ctx.db,
    trace.lots.map((l) => l.id),
  );
  return hops.filter((h) => [h.capturerPath, ...h.partyPaths].some((p) => canReadInternal(ctx.viewer, p)));
}
