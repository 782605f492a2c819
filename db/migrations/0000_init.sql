CREATE TABLE "frame_auth_cache" (
	"auth_hash" text PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"user_id" integer NOT NULL,
	"is_admin" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_tokens" (
	"member_id" text PRIMARY KEY NOT NULL,
	"access_token_enc" text NOT NULL,
	"refresh_token_enc" text NOT NULL,
	"expires_at" integer NOT NULL,
	"user_id" integer,
	"generation" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portals" (
	"member_id" text PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"client_endpoint" text NOT NULL,
	"server_endpoint" text NOT NULL,
	"application_token_hash" text NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"status" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'installing' NOT NULL,
	"time_zone" text DEFAULT 'Europe/Moscow' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"installed_at" timestamp with time zone,
	"uninstalled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_buckets" (
	"member_id" text PRIMARY KEY NOT NULL,
	"level" double precision DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deal_stages" (
	"member_id" text NOT NULL,
	"deal_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"stage_id" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deal_stages_member_id_deal_id_pk" PRIMARY KEY("member_id","deal_id")
);
--> statement-breakpoint
CREATE TABLE "effects" (
	"member_id" text NOT NULL,
	"key" text NOT NULL,
	"result" jsonb,
	"done_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "effects_member_id_key_pk" PRIMARY KEY("member_id","key")
);
--> statement-breakpoint
CREATE TABLE "outages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"service" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "parked_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"service" text NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedup_key" text NOT NULL,
	"parked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "sync_journal" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"level" text NOT NULL,
	"topic" text NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"message" text NOT NULL,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "moedelo_connections" (
	"member_id" text PRIMARY KEY NOT NULL,
	"strategy" text NOT NULL,
	"credentials_enc" text NOT NULL,
	"firm_name" text,
	"checked_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "frame_auth_cache" ADD CONSTRAINT "frame_auth_cache_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_tokens" ADD CONSTRAINT "portal_tokens_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_stages" ADD CONSTRAINT "deal_stages_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "effects" ADD CONSTRAINT "effects_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outages" ADD CONSTRAINT "outages_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parked_jobs" ADD CONSTRAINT "parked_jobs_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_journal" ADD CONSTRAINT "sync_journal_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moedelo_connections" ADD CONSTRAINT "moedelo_connections_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outages_open" ON "outages" USING btree ("member_id","service","resolved_at");--> statement-breakpoint
CREATE UNIQUE INDEX "parked_jobs_dedup" ON "parked_jobs" USING btree ("member_id","queue","dedup_key");--> statement-breakpoint
CREATE INDEX "sync_journal_member_at" ON "sync_journal" USING btree ("member_id","at");