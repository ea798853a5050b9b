CREATE TABLE "trace"."complaint_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"complaint_id" uuid NOT NULL,
	"action" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"actor_kind" text,
	"actor_path" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "trace"."complaints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"receipt" text NOT NULL,
	"lot_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"scan_id" uuid,
	"serial" text,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"contact" text,
	"photo" "bytea",
	"photo_type" text,
	"lang" text NOT NULL,
	"client_key" text NOT NULL,
	"status" text DEFAULT 'NEW' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_response_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"recall_id" uuid
);
--> statement-breakpoint
CREATE TABLE "trace"."notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"dedupe_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "complaint_actions_complaint_idx" ON "trace"."complaint_actions" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_receipt_key" ON "trace"."complaints" USING btree ("receipt");--> statement-breakpoint
CREATE INDEX "complaints_lot_idx" ON "trace"."complaints" USING btree ("lot_id","created_at");--> statement-breakpoint
CREATE INDEX "complaints_owner_idx" ON "trace"."complaints" USING btree ("owner_id","status","created_at");--> statement-breakpoint
CREATE INDEX "complaints_product_idx" ON "trace"."complaints" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE INDEX "complaints_client_idx" ON "trace"."complaints" USING btree ("client_key","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_key" ON "trace"."notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "trace"."notifications" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notifications_org_idx" ON "trace"."notifications" USING btree ("organization_id","created_at");--> statement-breakpoint
-- A complaint's history is evidence: never changed or removed.
CREATE TRIGGER "complaint_actions_append_only" BEFORE UPDATE OR DELETE ON "trace"."complaint_actions" FOR EACH ROW EXECUTE FUNCTION "trace"."refuse_change"();
