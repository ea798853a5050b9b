CREATE SCHEMA "tenants";
--> statement-breakpoint
CREATE TABLE "tenants"."api_clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tenants"."organization_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"change" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants"."organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"kind" text NOT NULL,
	"sector" text,
	"name" jsonb NOT NULL,
	"slug" text NOT NULL,
	"path" text NOT NULL,
	"depth" integer NOT NULL,
	"gln" text,
	"address" text,
	"district_code" text,
	"contact" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants"."role_grants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_by" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tenants"."tree_levels" (
	"depth" integer PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants"."users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_key_hash_key" ON "tenants"."api_clients" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_clients_org_idx" ON "tenants"."api_clients" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "organization_changes_org_idx" ON "tenants"."organization_changes" USING btree ("organization_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_path_key" ON "tenants"."organizations" USING btree ("path");--> statement-breakpoint
CREATE INDEX "organizations_path_prefix_idx" ON "tenants"."organizations" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "organizations_parent_idx" ON "tenants"."organizations" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "organizations_kind_idx" ON "tenants"."organizations" USING btree ("kind","path");--> statement-breakpoint
CREATE INDEX "role_grants_user_idx" ON "tenants"."role_grants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_grants_active_key" ON "tenants"."role_grants" USING btree ("user_id","organization_id","role") WHERE revoked_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "tenants"."users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_org_idx" ON "tenants"."users" USING btree ("organization_id");--> statement-breakpoint
CREATE VIEW "tenants"."organization_scope" AS (select "id", "path", "kind", "sector", "district_code", "active" from "tenants"."organizations");