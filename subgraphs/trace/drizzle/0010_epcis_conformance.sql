CREATE TABLE "trace"."epcis_queries" (
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"query" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "epcis_queries_owner_name_pk" PRIMARY KEY("owner","name")
);
--> statement-breakpoint
CREATE TABLE "trace"."event_aliases" (
	"event_id" text PRIMARY KEY NOT NULL,
	"stored_event_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "event_aliases_stored_idx" ON "trace"."event_aliases" USING btree ("stored_event_id");