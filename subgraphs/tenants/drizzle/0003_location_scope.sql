-- Read contract for trace's write checks (docs/write-authority.md, "EPCIS
-- events"): which organizations registered which GLN, so an event cannot claim
-- to have happened at another organization's premises. Trace reads this view,
-- never the table.
CREATE VIEW "tenants"."location_scope" AS
  SELECT "gln", "id" AS "organization_id", "path" FROM "tenants"."organizations" WHERE "gln" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "organizations_gln_idx" ON "tenants"."organizations" USING btree ("gln") WHERE "gln" IS NOT NULL;
