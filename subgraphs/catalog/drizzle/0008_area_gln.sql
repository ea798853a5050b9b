-- A production area is a place EPCIS events happen at: its SGLN is its own GLN,
-- or its producer's GLN with an extension (AI 254). The read contract shows it
-- so trace can tell whose premises an area's SGLN names; CREATE OR REPLACE
-- appends the columns without dropping the views other schemas build on it.
ALTER TABLE "catalog"."production_areas" ADD COLUMN "gln" text;--> statement-breakpoint
ALTER TABLE "catalog"."production_areas" ADD COLUMN "gln_extension" text;--> statement-breakpoint
CREATE UNIQUE INDEX "production_areas_sgln_key" ON "catalog"."production_areas" USING btree ("gln",coalesce("gln_extension", '')) WHERE "catalog"."production_areas"."gln" is not null;--> statement-breakpoint
CREATE OR REPLACE VIEW "catalog"."area_scope" AS
  SELECT "id", "owner_id", "hectares", "crop", "gln", "gln_extension" FROM "catalog"."production_areas";
