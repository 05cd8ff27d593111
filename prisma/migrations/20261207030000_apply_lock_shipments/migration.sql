-- apply_lock_shipment for several references at once (applies made together): the apply lock
-- of every reference first, in one order, then the shipments they name (a shipment's own ref
-- first, else its order's), locked FOR UPDATE in the order of their ids. A shipment goes by two
-- references, so locking them reference by reference would let two batches take the same two
-- shipments in opposite orders. Without p_wait, a reference whose apply lock another
-- transaction holds is skipped, not waited for: a batch never waits, all its references'
-- locks held, behind another batch's apply of one of them. Answers the shipment each reference
-- it locked names, where it names one.
CREATE FUNCTION apply_lock_shipments(p_refs text[], p_wait boolean)
RETURNS TABLE (
  named text, id text, ref text, "orderRef" text, "siteId" text, "customerId" text,
  country text, "standingOverrides" boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  taken text[];
BEGIN
  IF p_wait THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('apply:' || r.ref, 0))
    FROM (SELECT DISTINCT x AS ref FROM unnest(p_refs) AS x ORDER BY 1) AS r;
    taken := p_refs;
  ELSE
    taken := array(
      SELECT r.ref FROM (SELECT DISTINCT x AS ref FROM unnest(p_refs) AS x ORDER BY 1) AS r
      WHERE pg_try_advisory_xact_lock(hashtextextended('apply:' || r.ref, 0)));
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN QUERY
    WITH named AS (
      SELECT r.ref AS named, (
        SELECT found.id FROM (
          SELECT x.id, 0 AS pos FROM shipments x WHERE x.ref = r.ref
          UNION ALL
          SELECT x.id, 1 FROM shipments x JOIN orders xo ON xo.id = x.order_id WHERE xo.ref = r.ref
        ) AS found ORDER BY found.pos LIMIT 1) AS shipment_id
      FROM (SELECT DISTINCT x AS ref FROM unnest(taken) AS x) AS r),
    locked AS MATERIALIZED (
      SELECT s.id FROM shipments s
      WHERE s.id IN (SELECT n.shipment_id FROM named n)
      ORDER BY s.id
      FOR UPDATE)
    SELECT n.named, s.id::text, s.ref, o.ref, s.site_id::text, s.customer_id::text, l.country,
      EXISTS (SELECT 1 FROM approval_requests a
              WHERE a.shipment_id = s.id AND a.kind = 'HOLD_OVERRIDE' AND a.status = 'APPROVED')
    FROM named n
    JOIN locked k ON k.id = n.shipment_id
    JOIN shipments s ON s.id = k.id
    JOIN orders o ON o.id = s.order_id
    JOIN customer_locations l ON l.id = s.ship_to_id;
END $$;

-- apply_lock_shipment takes one reference; apply_lock_shipments serves one as well as many.
DROP FUNCTION apply_lock_shipment(text);
