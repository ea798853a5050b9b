CREATE TABLE "analytics"."production_monthly" (
	"month" date NOT NULL,
	"season" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"unit" text NOT NULL,
	"path" text NOT NULL,
	"district_code" text,
	"sector" text,
	"category" text NOT NULL,
	"lot_count" integer NOT NULL,
	"recalled_lot_count" integer NOT NULL,
	"quantity" numeric NOT NULL,
	CONSTRAINT "production_monthly_month_owner_id_product_id_unit_pk" PRIMARY KEY("month","owner_id","product_id","unit")
);
--> statement-breakpoint
CREATE TABLE "analytics"."rollup_state" (
	"name" text PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"source_rows" integer NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "production_monthly_path_idx" ON "analytics"."production_monthly" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "production_monthly_product_idx" ON "analytics"."production_monthly" USING btree ("product_id","month");--> statement-breakpoint
CREATE VIEW "analytics"."organization_labels" AS (select id, kind, district_code, name, active from tenants.organizations);--> statement-breakpoint
CREATE VIEW "analytics"."product_labels" AS (select id, name, status from catalog.products);--> statement-breakpoint
CREATE VIEW "analytics"."production_facts" AS (select product_id, owner_id, coalesce(produced_on, (created_at at time zone 'Asia/Ho_Chi_Minh')::date) as fact_date, quantity, unit, status as lot_status from trace.lots);