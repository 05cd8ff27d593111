-- An apply's locks and reads in one round trip (shipments/apply-state.ts): the references'
-- apply locks and their shipments' rows (apply_lock_shipments), then, on a snapshot taken after
-- they were granted, every locked shipment's facts, the gate's reference fingerprints once per
-- site, customer and ship-to country, its approval state and its audit chain's head (the chain
-- locked), and, when asked, its customer's credit book read without the credit lock
-- (credit_book, for decisions confirmed under the lock before they commit). Beside them, the
-- trips already made of the departures of their sites' routes from two days back to two weeks
-- ahead: the runs a decision plans are nearly always among them, and need no statement more.
-- Each shipment is read under every reference it goes by: the references that named it, its
-- own and its order's; the exception keys it may resolve are its references' orphan keys and
-- its gate exceptions' (shipment:<id>:<type> for each of p_gate_types).
CREATE FUNCTION apply_read(
  p_refs text[], p_wait boolean, p_holds text[], p_statuses text[], p_kinds text[],
  p_gate_types text[], p_books boolean)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  v_locked json;
BEGIN
  SELECT coalesce(json_agg(row_to_json(l)), '[]'::json) INTO v_locked
  FROM apply_lock_shipments(p_refs, p_wait) AS l;

  RETURN (
    WITH locked AS (
      SELECT l.named, l.id::uuid AS id, l.ref, l."orderRef" AS order_ref,
        l."siteId"::uuid AS site, l."customerId"::uuid AS customer, l.country
      FROM json_to_recordset(v_locked)
        AS l(named text, id text, ref text, "orderRef" text, "siteId" text,
             "customerId" text, country text)),
    asked AS (
      SELECT k.id, min(k.site::text)::uuid AS site, min(k.customer::text)::uuid AS customer,
        min(k.country) AS country,
        array(SELECT DISTINCT r FROM unnest(array_agg(k.named) || min(k.ref)
          || min(k.order_ref)) AS r ORDER BY 1) AS refs
      FROM locked k GROUP BY k.id),
    versions AS MATERIALIZED (
      SELECT t.site, t.customer, t.country,
        gate_reference_versions(t.site, t.customer, t.country) AS versions
      FROM (SELECT DISTINCT site, customer, country FROM asked) AS t)
    SELECT json_build_object(
      'locked', v_locked,
      'states', coalesce((SELECT json_agg(json_build_object(
          'id', a.id,
          'refs', a.refs,
          'state', shipment_apply_facts(a.id, a.refs,
            array(SELECT 'orphan:' || r FROM unnest(a.refs) AS r)
              || array(SELECT 'shipment:' || a.id || ':' || t FROM unnest(p_gate_types) AS t),
            'anomaly:' || a.id || ':%', p_holds, p_statuses),
          'versions', v.versions,
          'approvals', gate_approval_state(a.id, p_kinds),
          'chain', coalesce((SELECT json_build_object('seq', h.head_seq, 'hash', h.head_hash)
                             FROM audit_chain_head('Shipment', a.id::text) AS h),
                            json_build_object('seq', 0, 'hash', NULL))) ORDER BY a.id)
        FROM asked a
        JOIN versions v ON v.site = a.site AND v.customer = a.customer
          AND v.country = a.country), '[]'::json),
      'trips', coalesce((SELECT json_agg(json_build_object('id', t.id,
          'key', t.departure_id::text || ':' || t.service_date::text))
        FROM trips t
        JOIN route_departures d ON d.id = t.departure_id
        JOIN routes r ON r.id = d.route_id
        WHERE r.site_id IN (SELECT a.site FROM asked a)
          AND t.service_date BETWEEN current_date - 2 AND current_date + 14), '[]'::json),
      'books', CASE WHEN p_books THEN coalesce((SELECT json_agg(json_build_object(
          'customer', c.customer, 'book', credit_book(c.customer, c.ids)) ORDER BY c.customer)
        FROM (SELECT a.customer, array_agg(a.id) AS ids FROM asked a GROUP BY a.customer) AS c),
        '[]'::json) END));
END $$;
