-- An apply's first round trip: its reference's apply lock (held until commit), asynchronous
-- commit for its transaction, then the shipment the reference names (its own ref first, else its
-- order's) locked FOR UPDATE, read on a snapshot taken after the lock, with whether it has a
-- standing (approved) hold override for the gate to read.
CREATE FUNCTION apply_lock_shipment(p_ref text)
RETURNS TABLE (
  id text, ref text, "orderRef" text, "siteId" text, "customerId" text, country text,
  "standingOverrides" boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('apply:' || p_ref, 0)),
    set_config('synchronous_commit', 'off', true);
  RETURN QUERY
    SELECT s.id::text, s.ref, o.ref, s.site_id::text, s.customer_id::text, l.country,
      EXISTS (SELECT 1 FROM approval_requests r
              WHERE r.shipment_id = s.id AND r.kind = 'HOLD_OVERRIDE' AND r.status = 'APPROVED')
    FROM shipments s
    JOIN orders o ON o.id = s.order_id
    JOIN customer_locations l ON l.id = s.ship_to_id
    WHERE s.id = (
      SELECT found.id FROM (
        SELECT x.id, 0 AS pos FROM shipments x WHERE x.ref = p_ref
        UNION ALL
        SELECT x.id, 1 FROM shipments x JOIN orders xo ON xo.id = x.order_id WHERE xo.ref = p_ref
      ) found ORDER BY found.pos LIMIT 1)
    FOR UPDATE OF s;
END $$;
