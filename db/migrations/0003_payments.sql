CREATE TABLE "payment_effects" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"deal_id" integer NOT NULL,
	"invoice_id" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"comment" text,
	"outcome" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "payment_effects" ADD CONSTRAINT "payment_effects_member_id_portals_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."portals"("member_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_effects" ADD CONSTRAINT "payment_effects_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_effects_member_key" ON "payment_effects" USING btree ("member_id","key");--> statement-breakpoint
CREATE INDEX "payment_effects_open" ON "payment_effects" USING btree ("member_id","id") WHERE "payment_effects"."state" <> 'done';--> statement-breakpoint
CREATE INDEX "invoice_payments_member_payment" ON "invoice_payments" USING btree ("member_id","payment_id");--> statement-breakpoint
CREATE INDEX "invoices_member_kontragent" ON "invoices" USING btree ("member_id","kontragent_id");--> statement-breakpoint
CREATE INDEX "invoices_member_number" ON "invoices" USING btree ("member_id","number");