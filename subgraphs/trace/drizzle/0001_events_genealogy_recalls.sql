CREATE TABLE "trace"."chain_heads" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"head_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace"."custody" (
	"event_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"from_org_id" uuid,
	"to_org_id" uuid,
	"kind" text NOT NULL,
	"quantity" numeric,
	"unit" text,
	CONSTRAINT "custody_event_id_lot_id_pk" PRIMARY KEY("event_id","lot_id")
);
--> statement-breakpoint
CREATE TABLE "trace"."event_lots" (
	"event_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"role" text NOT NULL,
	"ordinal" integer NOT NULL,
	"quantity" numeric,
	"unit" text,
	CONSTRAINT "event_lots_event_id_role_ordinal_pk" PRIMARY KEY("event_id","role","ordinal")
);
--> statement-breakpoint
CREATE TABLE "trace"."events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"event_hash" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"chain_hash" text NOT NULL,
	"type" text NOT NULL,
	"action" text,
	"biz_step" text,
	"disposition" text,
	"event_time" timestamp (3) with time zone NOT NULL,
	"event_time_zone_offset" text NOT NULL,
	"record_time" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"corrects_event_id" text,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace"."lot_edges" (
	"parent_lot_id" uuid NOT NULL,
	"child_lot_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "lot_edges_parent_lot_id_child_lot_id_event_id_pk" PRIMARY KEY("parent_lot_id","child_lot_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "trace"."recall_lots" (
	"recall_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"root" boolean DEFAULT false NOT NULL,
	"quantity_held" numeric,
	"quantity_recovered" numeric DEFAULT '0' NOT NULL,
	"unit" text,
	CONSTRAINT "recall_lots_recall_id_lot_id_holder_id_pk" PRIMARY KEY("recall_id","lot_id","holder_id")
);
--> statement-breakpoint
CREATE TABLE "trace"."recalls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"severity" text NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"opened_by" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "trace"."lots" ADD COLUMN "production_area_id" uuid;--> statement-breakpoint
CREATE INDEX "custody_lot_idx" ON "trace"."custody" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "custody_to_idx" ON "trace"."custody" USING btree ("to_org_id");--> statement-breakpoint
CREATE INDEX "event_lots_lot_idx" ON "trace"."event_lots" USING btree ("lot_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_event_id_key" ON "trace"."events" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "events_hash_key" ON "trace"."events" USING btree ("event_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "events_org_seq_key" ON "trace"."events" USING btree ("organization_id","seq");--> statement-breakpoint
CREATE INDEX "events_corrects_idx" ON "trace"."events" USING btree ("corrects_event_id") WHERE "trace"."events"."corrects_event_id" is not null;--> statement-breakpoint
CREATE INDEX "lot_edges_child_idx" ON "trace"."lot_edges" USING btree ("child_lot_id","parent_lot_id");--> statement-breakpoint
CREATE INDEX "recall_lots_lot_idx" ON "trace"."recall_lots" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "recalls_status_idx" ON "trace"."recalls" USING btree ("status","id");