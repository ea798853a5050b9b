CREATE TABLE "analytics"."movement_monthly" (
	"month" date NOT NULL,
	"season" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"step" text NOT NULL,
	"lot_stage" text NOT NULL,
	"unit" text NOT NULL,
	"path" text NOT NULL,
	"district_code" text,
	"sector" text,
	"category" text NOT NULL,
	"lot_count" integer NOT NULL,
	"quantity" numeric NOT NULL,
	CONSTRAINT "movement_monthly_month_owner_id_product_id_step_lot_stage_unit_pk" PRIMARY KEY("month","owner_id","product_id","step","lot_stage","unit")
);
--> statement-breakpoint
DROP VIEW "analytics"."production_facts";--> statement-breakpoint
ALTER TABLE "analytics"."production_monthly" DROP CONSTRAINT "production_monthly_month_owner_id_product_id_unit_pk";--> statement-breakpoint
ALTER TABLE "analytics"."production_monthly" ADD COLUMN "origin" text DEFAULT 'PRIMARY' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics"."production_monthly" ADD COLUMN "stage" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics"."production_monthly" ADD COLUMN "yield_input" numeric;--> statement-breakpoint
ALTER TABLE "analytics"."production_monthly" ADD COLUMN "yield_output" numeric;--> statement-breakpoint
ALTER TABLE "analytics"."production_monthly" ADD CONSTRAINT "production_monthly_month_owner_id_product_id_unit_origin_stage_pk" PRIMARY KEY("month","owner_id","product_id","unit","origin","stage");--> statement-breakpoint
CREATE INDEX "movement_monthly_path_idx" ON "analytics"."movement_monthly" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE VIEW "analytics"."lot_edges" AS (select parent_lot_id, child_lot_id, event_id, kind from trace.lot_edges);--> statement-breakpoint
CREATE VIEW "analytics"."movements" AS (select e.id as event_id, e.organization_id, e.biz_step, e.event_time, el.lot_id, el.quantity, el.unit
      from trace.events e join trace.event_lots el on el.event_id = e.id and el.role = 'QUANTITY'
      where e.type = 'OBJECT_EVENT' and e.biz_step in ('shipping', 'retail_selling') and e.corrects_event_id is null
        and not exists (select 1 from trace.events d where d.corrects_event_id = e.event_id));--> statement-breakpoint
CREATE VIEW "analytics"."production_facts" AS (select product_id, owner_id, coalesce(produced_on, (created_at at time zone 'Asia/Ho_Chi_Minh')::date) as fact_date, quantity, unit, status as lot_status, id as lot_id from trace.lots where status not in ('UNDER_REVIEW', 'REJECTED'));