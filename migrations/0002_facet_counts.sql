CREATE TABLE "facet_counts" (
	"filter_field" text NOT NULL,
	"filter_value" text NOT NULL,
	"field" text NOT NULL,
	"value" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"private" boolean NOT NULL,
	"state" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "facet_counts_pk" PRIMARY KEY("filter_field","filter_value","field","value","organization_id","private","state")
);
--> statement-breakpoint
-- The (filter, facet value) pairs one dataset counts towards: filter '' is the
-- whole catalog, field '#' the number of datasets; keywords only unfiltered.
CREATE FUNCTION facet_count_keys(themes text[], formats text[], licenses text[], geocoding text[], keywords text[])
RETURNS TABLE (filter_field text, filter_value text, field text, value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT f.ff, f.fv, v.vf, v.vv
  FROM (SELECT '' AS ff, '' AS fv
        UNION ALL SELECT DISTINCT 'theme', x FROM unnest(themes) x
        UNION ALL SELECT DISTINCT 'format', x FROM unnest(formats) x
        UNION ALL SELECT DISTINCT 'license', x FROM unnest(licenses) x) f
  CROSS JOIN LATERAL (
        SELECT '#' AS vf, '' AS vv
        UNION ALL SELECT 'theme', x FROM unnest(themes) x
        UNION ALL SELECT 'format', x FROM unnest(formats) x
        UNION ALL SELECT 'license', x FROM unnest(licenses) x
        UNION ALL SELECT 'geocoding', x FROM unnest(geocoding) x
        UNION ALL SELECT 'keyword', x FROM unnest(keywords) x WHERE f.ff = '') v
$$;
--> statement-breakpoint
-- Adds the counts of the statement's new rows and subtracts those of its old
-- rows, aggregated per key and in key order (so concurrent writers lock the
-- counter rows in one order); an update that changes no counted column nets
-- to nothing and writes nothing.
CREATE FUNCTION facet_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO facet_counts AS c (filter_field, filter_value, field, value, organization_id, private, state, n)
    SELECT k.filter_field, k.filter_value, k.field, k.value, r.organization_id, r.private, r.state, count(*)::int
    FROM new_rows r, facet_count_keys(r.themes, r.formats, r.licenses, r.geocoding, r.keywords) k
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (filter_field, filter_value, field, value, organization_id, private, state) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO facet_counts AS c (filter_field, filter_value, field, value, organization_id, private, state, n)
    SELECT k.filter_field, k.filter_value, k.field, k.value, r.organization_id, r.private, r.state, -count(*)::int
    FROM old_rows r, facet_count_keys(r.themes, r.formats, r.licenses, r.geocoding, r.keywords) k
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (filter_field, filter_value, field, value, organization_id, private, state) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO facet_counts AS c (filter_field, filter_value, field, value, organization_id, private, state, n)
    SELECT k.filter_field, k.filter_value, k.field, k.value, r.organization_id, r.private, r.state, sum(r.s)::int
    FROM (SELECT n.organization_id, n.private, n.state, n.themes, n.formats, n.licenses, n.geocoding, n.keywords, 1 AS s FROM new_rows n
          UNION ALL
          SELECT o.organization_id, o.private, o.state, o.themes, o.formats, o.licenses, o.geocoding, o.keywords, -1 FROM old_rows o) r,
         facet_count_keys(r.themes, r.formats, r.licenses, r.geocoding, r.keywords) k
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(r.s) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (filter_field, filter_value, field, value, organization_id, private, state) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER facet_counts_insert AFTER INSERT ON datasets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION facet_counts_apply();
--> statement-breakpoint
CREATE TRIGGER facet_counts_update AFTER UPDATE ON datasets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION facet_counts_apply();
--> statement-breakpoint
CREATE TRIGGER facet_counts_delete AFTER DELETE ON datasets REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION facet_counts_apply();
--> statement-breakpoint
CREATE FUNCTION facet_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM facet_counts;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER facet_counts_truncate AFTER TRUNCATE ON datasets FOR EACH STATEMENT EXECUTE FUNCTION facet_counts_clear();
--> statement-breakpoint
INSERT INTO facet_counts (filter_field, filter_value, field, value, organization_id, private, state, n)
SELECT k.filter_field, k.filter_value, k.field, k.value, d.organization_id, d.private, d.state, count(*)::int
FROM datasets d, facet_count_keys(d.themes, d.formats, d.licenses, d.geocoding, d.keywords) k
GROUP BY 1, 2, 3, 4, 5, 6, 7;
