-- Events are evidence: once written they are never changed or removed. A
-- correction is a new event with an errorDeclaration. The rows derived from
-- an event (its lots, genealogy edges, custody hops) are frozen with it.
CREATE FUNCTION "trace"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'trace.% is append-only: % is not allowed (record a correcting event instead)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "trace"."events" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "event_lots_append_only" BEFORE UPDATE OR DELETE ON "trace"."event_lots" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "lot_edges_append_only" BEFORE UPDATE OR DELETE ON "trace"."lot_edges" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "custody_append_only" BEFORE UPDATE OR DELETE ON "trace"."custody" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
--> statement-breakpoint
-- FSMA 204: a lot code never changes once assigned, whatever code path tries.
CREATE FUNCTION "trace"."keep_lot_code"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.lot_code IS DISTINCT FROM OLD.lot_code OR NEW.product_id IS DISTINCT FROM OLD.product_id THEN
    RAISE EXCEPTION 'a lot code never changes once assigned' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "lots_code_immutable" BEFORE UPDATE ON "trace"."lots" FOR EACH ROW EXECUTE FUNCTION "trace"."keep_lot_code"();
