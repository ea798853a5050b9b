DROP VIEW "analytics"."lots";--> statement-breakpoint
DROP VIEW "analytics"."production_facts";--> statement-breakpoint
ALTER TABLE "analytics"."recall_facts" ADD COLUMN "lot_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE VIEW "analytics"."lots" AS (select id, product_id, owner_id, status, quantity, unit, season from trace.lots where status not in ('UNDER_REVIEW', 'REJECTED'));--> statement-breakpoint
CREATE VIEW "analytics"."production_facts" AS (select product_id, owner_id, coalesce(produced_on, (created_at at time zone 'Asia/Ho_Chi_Minh')::date) as fact_date, quantity, unit, status as lot_status from trace.lots where status not in ('UNDER_REVIEW', 'REJECTED'));