-- What a shipment adds to its customer's exposure while it counts (READY or left, not yet
-- invoiced or cancelled): its goods and its uninvoiced, unvoided charges. credit_shipment_part
-- is this while the shipment counts, else nothing.
CREATE FUNCTION credit_shipment_value(s shipments) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT coalesce(s.goods_value, 0) + coalesce(
    (SELECT sum(c.amount) FROM charges c
     WHERE c.shipment_id = s.id AND c.voided_at IS NULL AND c.invoice_id IS NULL), 0)
$$;

CREATE OR REPLACE FUNCTION credit_shipment_part(s shipments) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN s.invoiced_at IS NULL AND s.cancelled_at IS NULL
      AND (s.readiness = 'READY' OR s.departed_at IS NOT NULL)
    THEN credit_shipment_value(s)
    ELSE 0 END
$$;

-- The customer's credit lock, then, on a snapshot taken after it was granted, its whole running
-- exposure and the part and value of each of the shipments named: what several of its shipments
-- decided in one transaction need (readiness/load-gate-input.ts keeps the book current as each
-- is decided). The lock is held until commit.
CREATE FUNCTION credit_locked_book(customer uuid, shipment_ids uuid[], lock_key text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  book json;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
  SELECT json_build_object(
    'unpaid', e.unpaid,
    'open', e.open,
    'parts', coalesce((
      SELECT json_agg(json_build_object(
        'id', s.id, 'part', credit_shipment_part(s)::text, 'value', credit_shipment_value(s)::text))
      FROM shipments s WHERE s.id = ANY(shipment_ids)), '[]'::json))
  INTO book
  FROM credit_running_exposure(customer, NULL) AS e;

  RETURN book;
END $$;
