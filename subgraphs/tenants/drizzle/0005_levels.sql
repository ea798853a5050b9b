CREATE TABLE "tenants"."levels" (
	"code" text PRIMARY KEY NOT NULL,
	"rank" integer NOT NULL,
	"kinds" text[] NOT NULL,
	"name" jsonb NOT NULL
);
--> statement-breakpoint
-- The standard Vietnamese levels; a tree names the ones it uses, and a deployment may rename or add more.
-- Names a deployment gave its levels by depth (tree_levels) are kept for the same codes.
INSERT INTO "tenants"."levels" ("code", "rank", "kinds", "name") VALUES
	('city', 0, ARRAY['CITY'], '{"vi": "Tỉnh/Thành phố", "en": "Province/City"}'),
	('department', 1, ARRAY['DEPARTMENT'], '{"vi": "Sở", "en": "Department"}'),
	('district', 2, ARRAY['AREA'], '{"vi": "Quận/Huyện", "en": "District"}'),
	('commune', 3, ARRAY['AREA'], '{"vi": "Xã/Phường", "en": "Commune/Ward"}'),
	('operator', 4, ARRAY['PRODUCER', 'BUSINESS', 'STORE'], '{"vi": "Cơ sở sản xuất, kinh doanh", "en": "Producer, business or store"}');--> statement-breakpoint
UPDATE "tenants"."levels" l SET "name" = t."name" FROM "tenants"."tree_levels" t WHERE t."code" = l."code";--> statement-breakpoint
ALTER TABLE "tenants"."organizations" ADD COLUMN "level" text;--> statement-breakpoint
-- Existing trees: an AREA directly under a department is a district, an AREA under an AREA a commune.
UPDATE "tenants"."organizations" o SET "level" = CASE
	WHEN o."kind" = 'CITY' THEN 'city'
	WHEN o."kind" = 'DEPARTMENT' THEN 'department'
	WHEN o."kind" = 'AREA' THEN CASE WHEN EXISTS (SELECT 1 FROM "tenants"."organizations" p WHERE p."id" = o."parent_id" AND p."kind" = 'AREA') THEN 'commune' ELSE 'district' END
	ELSE 'operator' END;--> statement-breakpoint
ALTER TABLE "tenants"."organizations" ALTER COLUMN "level" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants"."organizations" ADD CONSTRAINT "organizations_level_levels_code_fk" FOREIGN KEY ("level") REFERENCES "tenants"."levels"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organizations_level_idx" ON "tenants"."organizations" USING btree ("level");--> statement-breakpoint
-- A row written without a level (bulk loads, fixtures) takes the rule createOrganization applies: the
-- highest level below its parent's that its kind may sit on; a kind no level names takes the lowest level.
CREATE FUNCTION "tenants"."default_level"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW."level" IS NULL THEN
		NEW."level" := coalesce(
			(SELECT l."code" FROM "tenants"."levels" l
				WHERE NEW."kind" = ANY (l."kinds")
					AND l."rank" > coalesce((SELECT pl."rank" FROM "tenants"."organizations" p JOIN "tenants"."levels" pl ON pl."code" = p."level" WHERE p."id" = NEW."parent_id"), -1)
				ORDER BY l."rank" LIMIT 1),
			(SELECT l."code" FROM "tenants"."levels" l ORDER BY l."rank" DESC LIMIT 1));
	END IF;
	RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "organizations_default_level" BEFORE INSERT ON "tenants"."organizations" FOR EACH ROW EXECUTE FUNCTION "tenants"."default_level"();--> statement-breakpoint
DROP TABLE "tenants"."tree_levels" CASCADE;