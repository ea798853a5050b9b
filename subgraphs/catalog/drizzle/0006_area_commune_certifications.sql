CREATE TABLE "catalog"."area_certifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"area_id" uuid NOT NULL,
	"scheme" text NOT NULL,
	"scheme_name" text,
	"issuer" text NOT NULL,
	"number" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"document_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog"."production_areas" ADD COLUMN "commune" text;--> statement-breakpoint
ALTER TABLE "catalog"."area_certifications" ADD CONSTRAINT "area_certifications_area_id_production_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "catalog"."production_areas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "area_certifications_area_idx" ON "catalog"."area_certifications" USING btree ("area_id","valid_to");