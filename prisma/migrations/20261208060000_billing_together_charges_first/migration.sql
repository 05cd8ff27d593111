-- Billing pre-validation made together locks the live charges it will void before their
-- shipments' rows. A charge's writer goes from the charge to its shipment (an adjustment locks
-- the charge, and updating it locks the shipment through the credit exposure's trigger). A
-- batch held every row first and then voided the charges, so an adjustment of one of them in
-- between waited for the batch's row while the batch waited for its charge: a deadlock. Now
-- the batch takes the charges (by shipment, then id) before any row, the order an adjustment
-- takes them in. (A single run holds its row KEY SHARE only, which the trigger's lock does not
-- wait for, and its void locks every line before the trigger locks the row: AFTER triggers
-- run at the end of the statement.) Otherwise as before (20261208020000_branches_together).
CREATE OR REPLACE FUNCTION billing_read_together(
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
