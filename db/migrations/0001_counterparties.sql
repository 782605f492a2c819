CREATE TABLE "counterparties" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"inn" text NOT NULL,
	"kpp" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"company_id" integer,
	"requisite_id" integer,
	"moedelo_id" integer,
	"registry_status" text,
	"registry_checked_at" timestamp with time zone,
	"moedelo_hash" text,
	"synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "field_provenance" (
	"counterparty_id" integer NOT NULL,
	"member_id" text NOT NULL,
	"field" text NOT NULL,
	"value" text,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "field_provenance_counterparty_id_field_pk" PRIMARY KEY("counterparty_id","field")
);
--> statement-breakpoint
CREATE TABLE "registry_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"payload" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_connections" (
	"member_id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"credentials_enc" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"details" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "counterparties" ADD CONSTRAINT "counterparties_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_provenance" ADD CONSTRAINT "field_provenance_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_connections" ADD CONSTRAINT "registry_connections_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "counterparties_member_inn_kpp" ON "counterparties" USING btree ("member_id","inn","kpp");--> statement-breakpoint
CREATE UNIQUE INDEX "counterparties_member_company" ON "counterparties" USING btree ("member_id","company_id") WHERE "counterparties"."company_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "counterparties_member_moedelo" ON "counterparties" USING btree ("member_id","moedelo_id") WHERE "counterparties"."moedelo_id" is not null;--> statement-breakpoint
CREATE INDEX "field_provenance_member" ON "field_provenance" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "sync_runs_member" ON "sync_runs" USING btree ("member_id","kind");