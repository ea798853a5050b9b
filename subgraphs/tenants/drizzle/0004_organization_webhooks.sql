CREATE TABLE "tenants"."organization_webhooks" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE VIEW "tenants"."webhook_scope" AS (select "organization_id", "url", "secret" from "tenants"."organization_webhooks" where "tenants"."organization_webhooks"."enabled" = true);