ALTER TABLE "trace"."serial_items" ADD COLUMN "locked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "trace"."serial_items" ADD COLUMN "lock_reason" text;--> statement-breakpoint
ALTER TABLE "trace"."serial_items" ADD COLUMN "locked_by" text;