CREATE TABLE "trace"."lot_audit" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_id" text,
	"actor_kind" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"reason" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trace"."recall_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"recall_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_id" text,
	"actor_kind" text,
	"actor_path" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"reason" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trace"."lots" ADD COLUMN "norm_check" jsonb;--> statement-breakpoint
ALTER TABLE "trace"."lots" ADD COLUMN "publish_on_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "trace"."lots" ADD COLUMN "reviewed_by" text;--> statement-breakpoint
ALTER TABLE "trace"."lots" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "trace"."lots" ADD COLUMN "review_note" text;--> statement-breakpoint
ALTER TABLE "trace"."recalls" ADD COLUMN "authority_path" text;--> statement-breakpoint
ALTER TABLE "trace"."recalls" ADD COLUMN "closed_by" text;--> statement-breakpoint
ALTER TABLE "trace"."recalls" ADD COLUMN "close_reason" text;--> statement-breakpoint
ALTER TABLE "trace"."recalls" ADD COLUMN "written_off" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "lot_audit_lot_idx" ON "trace"."lot_audit" USING btree ("lot_id","at");--> statement-breakpoint
CREATE INDEX "recall_actions_recall_idx" ON "trace"."recall_actions" USING btree ("recall_id","at");--> statement-breakpoint
-- Audit trails are evidence like events: appended, never changed or removed.
CREATE TRIGGER "lot_audit_append_only" BEFORE UPDATE OR DELETE ON "trace"."lot_audit" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "recall_actions_append_only" BEFORE UPDATE OR DELETE ON "trace"."recall_actions" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
