-- The branch jobs made together (jobs/tasks.ts runs up to 64 items of a batch job in one
-- transaction): each read takes the locks of all its shipments first, each class of lock in
-- one global order and the classes in the order the single forms take them (so that a batch
-- waits for a single run, an apply or another batch only ever in that order, never in a
-- cycle), then reads each shipment with the single form's own read, in one round trip. That
-- read takes its locks again, and they are granted at once: a row lock this transaction already
-- holds as strongly is not taken twice, and advisory locks stack. Ids are text as the jobs'
-- payloads carry them (the audit locks and chains, and the outbox's aggregate, are keyed by
-- that text, as the single forms key them); the answers are arrays in the order of p_ids, a
-- null where no such shipment is.

-- Slotting's locks and reads for several shipments: their rows (FOR UPDATE, in id order), their
-- audit chains (in id order: only a holder of the row takes a shipment's chain lock, so these
-- never wait on one another's chains), then the active dock doors of every site among them, by
-- site, then door, each site's doors in id order as slotting_read takes them.
CREATE FUNCTION slotting_read_together(p_ids text[], p_capacity_keys text[], p_statuses text[])
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM count(*) FROM (SELECT s.id FROM shipments s WHERE s.id = ANY (p_ids::uuid[])
    ORDER BY s.id FOR UPDATE) AS s;
  PERFORM pg_current_xact_id(),
    count(pg_advisory_xact_lock(hashtextextended('audit:Shipment:' || k.id, 0)))
  FROM (SELECT k.id FROM unnest(p_ids) AS k(id) JOIN shipments s ON s.id = k.id::uuid
    ORDER BY s.id) AS k;
  PERFORM count(*) FROM (SELECT d.id FROM dock_doors d
    WHERE d.site_id IN (SELECT s.site_id FROM shipments s WHERE s.id = ANY (p_ids::uuid[]))
      AND d.active
    ORDER BY d.site_id, d.id FOR NO KEY UPDATE) AS d;
  RETURN (SELECT json_agg(slotting_read(k.id, k.capacity_key, p_statuses) ORDER BY k.n)
    FROM unnest(p_ids, p_capacity_keys) WITH ORDINALITY AS k(id, capacity_key, n));
END $$;

-- slotting_capacity for the sites of shipments slotted together (p_sites: [{ site, from, runs }],
-- runs as slotting_capacity takes them, each run once): the missing runs of every site made in
-- one statement, in (departure, date) order, the order the apply's planTrips makes new runs in,
-- so that two transactions making the same new runs wait for each other in that order; then
-- each site's capacity, sites in id order (each site's runs are locked in id order there).
-- Answers [{ siteId, capacity }].
CREATE FUNCTION slotting_capacity_together(p_sites json)
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_site record;
  v_out json[] := '{}';
BEGIN
  INSERT INTO trips (id, departure_id, service_date, departs_at, cutoff_at)
  SELECT gen_random_uuid(), r.departure_id, r.service_date, r.departs_at, r.cutoff_at
  FROM json_array_elements(p_sites) AS s(site),
    json_to_recordset(s.site->'runs')
      AS r(departure_id uuid, service_date date, departs_at timestamptz, cutoff_at timestamptz)
  ORDER BY r.departure_id, r.service_date
  ON CONFLICT (departure_id, service_date) DO NOTHING;

  FOR v_site IN
    SELECT (s.site->>'site')::uuid AS id, s.site->'runs' AS runs,
      (s.site->>'from')::timestamptz AS from_at
    FROM json_array_elements(p_sites) AS s(site) ORDER BY 1
  LOOP
    v_out := v_out || json_build_object('siteId', v_site.id,
      'capacity', slotting_capacity(v_site.id, v_site.runs, v_site.from_at));
  END LOOP;
  RETURN array_to_json(v_out);
END $$;

-- Billing pre-validation's locks and reads for several shipments: each run's own lock (in key
-- order), the live charges it will void (by shipment, then id), their rows, then their audit
-- chains (both in id order), then billing_read of each. The rows are locked FOR NO KEY UPDATE,
-- not KEY SHARE as billing_read takes one: writing a charge locks its shipment so (the credit
-- exposure's trigger), and a batch's charges would take those locks in whatever order its
-- write statement reaches them; taken here, they are taken in id order, before the chains, as
-- the single form's KEY SHARE is. The charges come first because a charge's own writer goes
-- from the charge to its shipment (an adjustment locks the charge, and updating it locks the
-- shipment through that trigger): a batch holding the rows and then voiding the charges would
-- wait for an adjusted charge while its adjustment waited for the row, a deadlock. (A single
-- run holds its row KEY SHARE only, which the trigger's lock does not wait for, and its void
-- locks every line before the trigger locks the row: AFTER triggers run at the statement's end.)
CREATE FUNCTION billing_read_together(
  p_ids text[], p_lock_keys text[], p_no_rate_keys text[], p_statuses text[])
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM count(pg_advisory_xact_lock(hashtextextended(k.key, 0)))
  FROM (SELECT DISTINCT x AS key FROM unnest(p_lock_keys) AS x ORDER BY 1) AS k;
  PERFORM count(*) FROM (SELECT c.id FROM charges c
    WHERE c.shipment_id = ANY (p_ids::uuid[]) AND c.voided_at IS NULL AND c.invoice_id IS NULL
    ORDER BY c.shipment_id, c.id FOR UPDATE) AS c;
  PERFORM count(*) FROM (SELECT s.id FROM shipments s WHERE s.id = ANY (p_ids::uuid[])
    ORDER BY s.id FOR NO KEY UPDATE) AS s;
  PERFORM pg_current_xact_id(),
    count(pg_advisory_xact_lock(hashtextextended('audit:Shipment:' || k.id, 0)))
  FROM (SELECT k.id FROM unnest(p_ids) AS k(id) JOIN shipments s ON s.id = k.id::uuid
    ORDER BY s.id) AS k;
  RETURN (SELECT json_agg(billing_read(k.id, k.lock_key, k.no_rate_key, p_statuses) ORDER BY k.n)
    FROM unnest(p_ids, p_lock_keys, p_no_rate_keys) WITH ORDINALITY
      AS k(id, lock_key, no_rate_key, n));
END $$;

-- The ERP shipment records' locks and reads for several shipments: each publication's lock, in
-- key order, then shipment_record_read of each.
CREATE FUNCTION shipment_record_read_together(p_ids text[], p_lock_keys text[], p_topic text)
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM count(pg_advisory_xact_lock(hashtextextended(k.key, 0)))
  FROM (SELECT DISTINCT x AS key FROM unnest(p_lock_keys) AS x ORDER BY 1) AS k;
  RETURN (SELECT json_agg(shipment_record_read(k.id, k.lock_key, p_topic) ORDER BY k.n)
    FROM unnest(p_ids, p_lock_keys) WITH ORDINALITY AS k(id, lock_key, n));
END $$;
