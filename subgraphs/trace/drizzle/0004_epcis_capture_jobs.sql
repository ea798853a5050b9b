CREATE TABLE "trace"."capture_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"status" text NOT NULL,
	"created_by" text,
	"event_count" integer NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "capture_jobs_org_idx" ON "trace"."capture_jobs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "trace"."events" USING btree ("event_time","id");--> statement-breakpoint
CREATE INDEX "events_biz_step_idx" ON "trace"."events" USING btree ("biz_step","event_time");