CREATE TABLE "analytics"."activity_monthly" (
	"month" date NOT NULL,
	"season" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"path" text NOT NULL,
	"district_code" text,
	"sector" text,
	"category" text NOT NULL,
	"event_count" integer NOT NULL,
	"scan_count" integer NOT NULL,
	CONSTRAINT "activity_monthly_month_owner_id_product_id_pk" PRIMARY KEY("month","owner_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "analytics"."recall_facts" (
	"recall_id" uuid NOT NULL,
	"month" date NOT NULL,
	"season" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"path" text NOT NULL,
	"district_code" text,
	"sector" text,
	"category" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"identified_at" timestamp with time zone,
	"quantity_held" numeric,
	"quantity_recovered" numeric,
	CONSTRAINT "recall_facts_recall_id_owner_id_product_id_pk" PRIMARY KEY("recall_id","owner_id","product_id")
);
--> statement-breakpoint
CREATE INDEX "activity_monthly_path_idx" ON "analytics"."activity_monthly" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "recall_facts_path_idx" ON "analytics"."recall_facts" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE VIEW "analytics"."event_lots" AS (select event_id, lot_id, role, ordinal, quantity, unit from trace.event_lots);--> statement-breakpoint
CREATE VIEW "analytics"."events" AS (select id, organization_id, type, biz_step, disposition, event_time, record_time from trace.events);--> statement-breakpoint
CREATE VIEW "analytics"."recall_identifications" AS (select rl.recall_id, rl.lot_id, min(e.record_time) as identified_at
      from (select distinct recall_id, lot_id from trace.recall_lots) rl
      join trace.event_lots el on el.lot_id = rl.lot_id
      join trace.events e on e.id = el.event_id
      where e.disposition = 'recalled'
        and e.body -> 'bizTransactionList' @> jsonb_build_array(jsonb_build_object('type', 'rma', 'id', 'urn:nguon:recall:' || rl.recall_id::text))
      group by rl.recall_id, rl.lot_id);--> statement-breakpoint
CREATE VIEW "analytics"."recall_lots" AS (select recall_id, lot_id, holder_id, root, quantity_held, quantity_recovered, unit from trace.recall_lots);--> statement-breakpoint
CREATE VIEW "analytics"."recalls" AS (select id, severity, status, opened_at, closed_at from trace.recalls);--> statement-breakpoint
CREATE VIEW "analytics"."scans" AS (select lot_id, scanned_at from trace.scans);