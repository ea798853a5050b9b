-- Read contracts the trace service checks writes against (docs/write-authority.md):
-- who owns a product or production area, which organizations are licensed to
-- make lots of a product, and the season norm (with its crop's tolerance) a
-- lot's quantity is judged by. Trace reads these views, never the tables, so
-- the catalog may change its tables as long as the views keep their columns.
ALTER TABLE "catalog"."crop_norm_tolerances" ADD CONSTRAINT "crop_norm_tolerances_range" CHECK ("tolerance" >= 0 AND "tolerance" <= 1);
--> statement-breakpoint
CREATE VIEW "catalog"."product_scope" AS
  SELECT "id", "owner_id", "status", "gtin" FROM "catalog"."products";
--> statement-breakpoint
-- Only licences in force: a revoked licence no longer lets its licensee create lots.
CREATE VIEW "catalog"."product_licence_scope" AS
  SELECT "product_id", "licensee_id" FROM "catalog"."product_licences" WHERE "revoked_at" IS NULL;
--> statement-breakpoint
CREATE VIEW "catalog"."area_scope" AS
  SELECT "id", "owner_id", "hectares", "crop" FROM "catalog"."production_areas";
--> statement-breakpoint
-- One row per season norm; a crop without its own tolerance gets the default 20 %.
CREATE VIEW "catalog"."season_norm_scope" AS
  SELECT n."area_id", n."season", n."expected_yield_per_hectare", n."yield_unit",
         COALESCE(t."tolerance", 0.2)::numeric AS "tolerance"
  FROM "catalog"."season_norms" n
  JOIN "catalog"."production_areas" a ON a."id" = n."area_id"
  LEFT JOIN "catalog"."crop_norm_tolerances" t ON t."crop" = a."crop";
