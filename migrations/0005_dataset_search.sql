-- A narrow copy of what a free-text search reads of every match: visibility, the
-- search vector and the facet values as keys ('#', 'o:<organization id>',
-- 't:<theme>', 'f:<format>', 'l:<licence IRI>'). The datasets heap (~1.3 kB a
-- row, larger than shared_buffers at 100k) made a common word's ~4k matches
-- ~4k scattered page reads; this table is about half as wide, stays cached, and
-- its facets come from one grouping of the keys. Kept by statement triggers on
-- datasets in the writing transaction, as facet_counts.
CREATE TABLE "dataset_search" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"private" boolean NOT NULL,
	"state" text NOT NULL,
	"facet_keys" text[] NOT NULL,
	"search" tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX "dataset_search_search_idx" ON "dataset_search" USING gin ("search");
--> statement-breakpoint
CREATE FUNCTION dataset_search_keys(organization_id uuid, themes text[], formats text[], licenses text[])
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY['#', 'o:' || organization_id::text]
    || ARRAY(SELECT 't:' || x FROM unnest(themes) x)
    || ARRAY(SELECT 'f:' || x FROM unnest(formats) x)
    || ARRAY(SELECT 'l:' || x FROM unnest(licenses) x)
$$;
--> statement-breakpoint
-- Inserts new rows, deletes old ones; an update rewrites only rows whose copied
-- columns changed (a new revision with the same text and facets writes nothing).
CREATE FUNCTION dataset_search_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM dataset_search s USING old_rows o WHERE s.id = o.id;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM dataset_search s USING old_rows o WHERE s.id = o.id AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
  END IF;
  INSERT INTO dataset_search AS s (id, organization_id, private, state, facet_keys, search)
  SELECT n.id, n.organization_id, n.private, n.state, dataset_search_keys(n.organization_id, n.themes, n.formats, n.licenses), n.search
  FROM new_rows n ORDER BY n.id
  ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, private = excluded.private, state = excluded.state, facet_keys = excluded.facet_keys, search = excluded.search
  WHERE (s.organization_id, s.private, s.state, s.facet_keys, s.search) IS DISTINCT FROM (excluded.organization_id, excluded.private, excluded.state, excluded.facet_keys, excluded.search);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER dataset_search_insert AFTER INSERT ON datasets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_search_apply();
--> statement-breakpoint
CREATE TRIGGER dataset_search_update AFTER UPDATE ON datasets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_search_apply();
--> statement-breakpoint
CREATE TRIGGER dataset_search_delete AFTER DELETE ON datasets REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dataset_search_apply();
--> statement-breakpoint
CREATE FUNCTION dataset_search_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM dataset_search;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER dataset_search_truncate AFTER TRUNCATE ON datasets FOR EACH STATEMENT EXECUTE FUNCTION dataset_search_clear();
--> statement-breakpoint
INSERT INTO dataset_search (id, organization_id, private, state, facet_keys, search)
SELECT d.id, d.organization_id, d.private, d.state, dataset_search_keys(d.organization_id, d.themes, d.formats, d.licenses), d.search
FROM datasets d ORDER BY d.id;
