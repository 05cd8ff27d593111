-- A customer's running exposure without the part of the shipment being decided: the changes
-- written since the last fold are folded into the customer's row by the statement that reads it.
-- Only under the customer's credit lock: the fold is the row's one writer.
CREATE FUNCTION credit_running_exposure(customer uuid, shipment uuid)
RETURNS TABLE (unpaid text, open text) LANGUAGE sql AS $$
  WITH folded AS (
    DELETE FROM credit_exposure_changes WHERE customer_id = customer
    RETURNING released_unpaid, shipped_or_ready_not_invoiced),
  base AS (
    INSERT INTO credit_exposures AS e (customer_id, released_unpaid, shipped_or_ready_not_invoiced)
    SELECT customer, coalesce(sum(released_unpaid), 0), coalesce(sum(shipped_or_ready_not_invoiced), 0)
    FROM folded
    ON CONFLICT (customer_id) DO UPDATE SET
      released_unpaid = e.released_unpaid + excluded.released_unpaid,
      shipped_or_ready_not_invoiced =
        e.shipped_or_ready_not_invoiced + excluded.shipped_or_ready_not_invoiced
    RETURNING released_unpaid, shipped_or_ready_not_invoiced)
  SELECT base.released_unpaid::text,
    (base.shipped_or_ready_not_invoiced - coalesce(
      (SELECT credit_shipment_part(s) FROM shipments s WHERE s.id = shipment), 0))::text
  FROM base
$$;

-- The customer's credit lock, then its exposure, in one round trip: the function is volatile, so
-- that the read takes its snapshot after the lock is granted (it is held until commit).
CREATE FUNCTION credit_locked_exposure(customer uuid, shipment uuid, lock_key text)
RETURNS TABLE (unpaid text, open text) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
  RETURN QUERY SELECT * FROM credit_running_exposure(customer, shipment);
END $$;

-- The first two steps of appending to one entity's audit chain (audit/write-audit.ts), in one
-- round trip: the chain locked until commit, after the transaction id is taken (the order
-- audit/checkpoint.ts relies on), then its head read on a snapshot taken after the lock.
CREATE FUNCTION audit_chain_head(chain_type text, chain_id text)
RETURNS TABLE (head_seq int, head_hash text) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_current_xact_id(),
    pg_advisory_xact_lock(hashtextextended('audit:' || chain_type || ':' || chain_id, 0));
  RETURN QUERY SELECT l.seq, l.hash FROM audit_log l
    WHERE l.entity_type = chain_type AND l.entity_id = chain_id
    ORDER BY l.seq DESC LIMIT 1;
END $$;
