CREATE TABLE "trace"."scans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"serial" text,
	"scanned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lang" text NOT NULL,
	"lat" numeric(4, 1),
	"lng" numeric(4, 1)
);
--> statement-breakpoint
CREATE TABLE "trace"."serial_items" (
	"lot_id" uuid NOT NULL,
	"serial" text NOT NULL,
	"code_hash" text,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_verified_at" timestamp with time zone,
	"first_verified_lat" numeric(4, 1),
	"first_verified_lng" numeric(4, 1),
	"verifications" integer DEFAULT 0 NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"last_failed_at" timestamp with time zone,
	"flagged_at" timestamp with time zone,
	"flag_reason" text,
	CONSTRAINT "serial_items_lot_id_serial_pk" PRIMARY KEY("lot_id","serial")
);
--> statement-breakpoint
CREATE INDEX "scans_lot_time_idx" ON "trace"."scans" USING btree ("lot_id","scanned_at");--> statement-breakpoint
CREATE INDEX "scans_serial_idx" ON "trace"."scans" USING btree ("lot_id","serial","scanned_at");--> statement-breakpoint
CREATE INDEX "serial_items_flagged_idx" ON "trace"."serial_items" USING btree ("lot_id") WHERE flagged_at is not null;