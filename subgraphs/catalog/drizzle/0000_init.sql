CREATE SCHEMA "catalog";
--> statement-breakpoint
CREATE TABLE "catalog"."products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"gtin" text,
	"internal_code" text NOT NULL,
	"category" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"brand" text,
	"unit" text DEFAULT 'H87' NOT NULL,
	"net_content" numeric,
	"shelf_life_days" integer,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"published_at" timestamp with time zone,
	"search_text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "products_gtin_key" ON "catalog"."products" USING btree ("gtin") WHERE gtin is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "products_internal_code_key" ON "catalog"."products" USING btree ("internal_code");--> statement-breakpoint
CREATE INDEX "products_owner_idx" ON "catalog"."products" USING btree ("owner_id","id");--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "catalog"."products" USING btree ("status","id");