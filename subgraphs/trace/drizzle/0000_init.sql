CREATE SCHEMA "trace";
--> statement-breakpoint
CREATE TABLE "trace"."lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_code" text NOT NULL,
	"product_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"season" text,
	"quantity" numeric NOT NULL,
	"unit" text NOT NULL,
	"produced_on" date,
	"expires_on" date,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "lots_product_code_key" ON "trace"."lots" USING btree ("product_id","lot_code");--> statement-breakpoint
CREATE INDEX "lots_owner_idx" ON "trace"."lots" USING btree ("owner_id","id");--> statement-breakpoint
CREATE INDEX "lots_product_idx" ON "trace"."lots" USING btree ("product_id","id");--> statement-breakpoint
CREATE INDEX "lots_status_idx" ON "trace"."lots" USING btree ("status","id");