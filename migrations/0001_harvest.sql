CREATE TABLE "harvest_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"trigger" text DEFAULT 'api' NOT NULL,
	"user_id" uuid,
	"incremental" boolean DEFAULT false NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"withdrawn" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"conflicts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "harvest_record_errors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source_record_id" text,
	"uri" text,
	"identifier" text,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "harvest_records" (
	"source_id" uuid NOT NULL,
	"source_record_id" text NOT NULL,
	"dataset_id" uuid NOT NULL,
	"content_hash" text NOT NULL,
	"source_modified" text,
	"last_job_id" uuid,
	"harvested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "harvest_records_source_id_source_record_id_pk" PRIMARY KEY("source_id","source_record_id")
);
--> statement-breakpoint
CREATE TABLE "harvest_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"url" text NOT NULL,
	"schedule" text DEFAULT 'manual' NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "harvest_sources_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "harvest_jobs" ADD CONSTRAINT "harvest_jobs_source_id_harvest_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."harvest_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_record_errors" ADD CONSTRAINT "harvest_record_errors_job_id_harvest_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."harvest_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_records" ADD CONSTRAINT "harvest_records_source_id_harvest_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."harvest_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_records" ADD CONSTRAINT "harvest_records_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "harvest_sources" ADD CONSTRAINT "harvest_sources_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "harvest_jobs_source_idx" ON "harvest_jobs" USING btree ("source_id","created_at");--> statement-breakpoint
CREATE INDEX "harvest_record_errors_job_idx" ON "harvest_record_errors" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "harvest_records_dataset_idx" ON "harvest_records" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "harvest_sources_org_idx" ON "harvest_sources" USING btree ("organization_id");