CREATE TABLE "catalog"."categories" (
	"code" text PRIMARY KEY NOT NULL,
	"parent_code" text,
	"path" text NOT NULL,
	"name" jsonb NOT NULL,
	"sector" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."certifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"scheme" text NOT NULL,
	"scheme_name" text,
	"issuer" text NOT NULL,
	"number" text NOT NULL,
	"stars" integer,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"document_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."languages" (
	"tag" text PRIMARY KEY NOT NULL,
	"name" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."production_areas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"crop" text NOT NULL,
	"hectares" numeric NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalog"."season_norms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"area_id" uuid NOT NULL,
	"season" text NOT NULL,
	"inputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expected_yield_per_hectare" numeric,
	"yield_unit" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "season_norms_area_season_key" UNIQUE("area_id","season")
);
--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "ingredients" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "usage" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "storage_conditions" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "images" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "internal_note" text;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "published_by" text;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "withdrawn_by" text;--> statement-breakpoint
ALTER TABLE "catalog"."products" ADD COLUMN "withdrawn_reason" text;--> statement-breakpoint
ALTER TABLE "catalog"."categories" ADD CONSTRAINT "categories_parent_fk" FOREIGN KEY ("parent_code") REFERENCES "catalog"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."certifications" ADD CONSTRAINT "certifications_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog"."season_norms" ADD CONSTRAINT "season_norms_area_id_production_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "catalog"."production_areas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "categories_path_key" ON "catalog"."categories" USING btree ("path");--> statement-breakpoint
CREATE INDEX "certifications_product_idx" ON "catalog"."certifications" USING btree ("product_id","valid_to");--> statement-breakpoint
CREATE INDEX "certifications_scheme_idx" ON "catalog"."certifications" USING btree ("scheme","valid_to");--> statement-breakpoint
CREATE UNIQUE INDEX "production_areas_code_key" ON "catalog"."production_areas" USING btree ("code");--> statement-breakpoint
CREATE INDEX "production_areas_owner_idx" ON "catalog"."production_areas" USING btree ("owner_id","id");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "catalog"."products" USING btree ("category","id");