CREATE TABLE "trace"."national_outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "national_outbox_lot_key" ON "trace"."national_outbox" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "national_outbox_due_idx" ON "trace"."national_outbox" USING btree ("status","next_attempt_at");