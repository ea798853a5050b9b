CREATE TABLE "catalog"."crop_norm_tolerances" (
	"crop" text PRIMARY KEY NOT NULL,
	"tolerance" numeric NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "catalog"."product_licences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"licensee_id" uuid NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "catalog"."product_licences" ADD CONSTRAINT "product_licences_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "product_licences_active_key" ON "catalog"."product_licences" USING btree ("product_id","licensee_id") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "product_licences_licensee_idx" ON "catalog"."product_licences" USING btree ("licensee_id");