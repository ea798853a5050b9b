DROP VIEW "analytics"."lot_edges";--> statement-breakpoint
CREATE VIEW "analytics"."lot_edges" AS (select le.parent_lot_id, le.child_lot_id, le.event_id, le.kind
      from trace.lot_edges le join trace.events e on e.id = le.event_id
      where e.corrects_event_id is null and not exists (select 1 from trace.events d where d.corrects_event_id = e.event_id));--> statement-breakpoint
-- Figures now count each kilogram once (0006, 0007): the rollups built before must not answer the first read after the upgrade.
DELETE FROM "analytics"."rollup_state";
