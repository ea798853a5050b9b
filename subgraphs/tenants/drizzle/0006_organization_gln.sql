-- A GLN names one party; captured EPCIS documents that name a party by GLN are
-- matched through it, so the read contract shows it too. CREATE OR REPLACE
-- appends the column without dropping the views other schemas build on it.
CREATE UNIQUE INDEX "organizations_gln_key" ON "tenants"."organizations" USING btree ("gln") WHERE "tenants"."organizations"."gln" is not null;--> statement-breakpoint
CREATE OR REPLACE VIEW "tenants"."organization_scope" AS (select "id", "path", "kind", "sector", "district_code", "active", "gln" from "tenants"."organizations");
