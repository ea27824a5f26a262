CREATE TABLE "harvest_pages" (
	"source_id" uuid NOT NULL,
	"url" text NOT NULL,
	"digest" text NOT NULL,
	"settings_hash" text NOT NULL,
	"next_url" text,
	"total" integer,
	"record_ids" text[] NOT NULL,
	"job_id" uuid NOT NULL,
	CONSTRAINT "harvest_pages_source_id_url_pk" PRIMARY KEY("source_id","url")
);
--> statement-breakpoint
ALTER TABLE "harvest_pages" ADD CONSTRAINT "harvest_pages_source_id_harvest_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."harvest_sources"("id") ON DELETE cascade ON UPDATE no action;