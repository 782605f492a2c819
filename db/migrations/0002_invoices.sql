CREATE TABLE "catalog_goods" (
	"member_id" text NOT NULL,
	"product_id" integer NOT NULL,
	"good_id" bigint NOT NULL,
	"hash" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_goods_member_id_product_id_pk" PRIMARY KEY("member_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "invoice_payments" (
	"member_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"payment_id" bigint NOT NULL,
	"number" text,
	"date" text,
	"sum" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"announced_at" timestamp with time zone,
	CONSTRAINT "invoice_payments_member_id_invoice_id_payment_id_pk" PRIMARY KEY("member_id","invoice_id","payment_id")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"deal_id" integer NOT NULL,
	"trigger" text NOT NULL,
	"repeat_of" text,
	"requested_by" integer,
	"state" text DEFAULT 'queued' NOT NULL,
	"problems" jsonb,
	"error_message" text,
	"kontragent_id" integer,
	"create_started_at" timestamp with time zone,
	"bill_id" bigint,
	"number" text,
	"doc_date" text,
	"deadline" text,
	"sum" text,
	"paid_sum" text DEFAULT '0.00' NOT NULL,
	"bill_status" integer,
	"online_path" text,
	"pdf" text,
	"deal_written_at" timestamp with time zone,
	"bill_modified_at" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_poll_state" (
	"member_id" text PRIMARY KEY NOT NULL,
	"cursor" text,
	"registry_cursor" text,
	"last_run_at" timestamp with time zone,
	"last_reconciled_at" timestamp with time zone,
	"last_overdue_date" text
);
--> statement-breakpoint
ALTER TABLE "catalog_goods" ADD CONSTRAINT "catalog_goods_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_poll_state" ADD CONSTRAINT "payment_poll_state_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_goods_member_good" ON "catalog_goods" USING btree ("member_id","good_id");--> statement-breakpoint
CREATE INDEX "invoices_member_deal" ON "invoices" USING btree ("member_id","deal_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_member_bill" ON "invoices" USING btree ("member_id","bill_id") WHERE "invoices"."bill_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_one_in_flight_per_deal" ON "invoices" USING btree ("member_id","deal_id") WHERE "invoices"."state" in ('queued', 'creating', 'waiting');--> statement-breakpoint
CREATE INDEX "invoices_open" ON "invoices" USING btree ("member_id","state","deadline");