CREATE SCHEMA "analytics";
--> statement-breakpoint
CREATE VIEW "analytics"."lots" AS (select id, product_id, owner_id, status, quantity, unit, season from trace.lots);--> statement-breakpoint
CREATE VIEW "analytics"."organizations" AS (select id, path, kind, sector, district_code from tenants.organization_scope);--> statement-breakpoint
CREATE VIEW "analytics"."products" AS (select id, owner_id, category, status from catalog.products);