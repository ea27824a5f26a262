-- A GIN index takes new entries into an unsorted pending list (fastupdate) and
-- merges them when a vacuum runs or the list outgrows gin_pending_list_limit,
-- 4 MB by default. Every search through the index reads the whole list. With
-- steady writes (creates, harvests) and autovacuum waiting for 20 % of the table
-- to be new, the list held hundreds of datasets: after 600 creates on a 10k
-- catalog a free-text package_search took p50 6.8 ms instead of 3.3 ms until the
-- next vacuum. At 64 kB (the least PostgreSQL allows) a writer merges the list
-- every dozen datasets or so; creates measured no slower.
ALTER INDEX "datasets_search_idx" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
ALTER INDEX "datasets_keywords_idx" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
ALTER INDEX "datasets_themes_idx" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
ALTER INDEX "datasets_licenses_idx" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
ALTER INDEX "datasets_formats_idx" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
ALTER INDEX "datasets_geocoding_idx" SET (gin_pending_list_limit = 64);
--> statement-breakpoint
ALTER INDEX "dataset_search_search_idx" SET (gin_pending_list_limit = 64);
