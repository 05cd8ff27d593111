-- The apply's one large read and the gate's reference fingerprints, as PL/pgSQL functions: a
-- connection plans a function's statements once and reuses the plan (planning the read as a
-- statement of its own cost several times its execution on every apply). Generic plans: every
-- lookup below is by key, through an index, whatever the values.

-- Fingerprints of the gate's reference data for a site, a customer and a ship-to country (a
-- count and a sum of row hashes per part): reference-cache.ts serves a part from memory while
-- its fingerprint is unchanged.
CREATE FUNCTION gate_reference_versions(p_site uuid, p_customer uuid, p_country text)
RETURNS json LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN json_build_object(
    'zones', (SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (
      SELECT hashtextextended(z::text, 0) AS h FROM delivery_zones z
      WHERE z.country = p_country) AS fp),
    'routes', (SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (
      SELECT hashtextextended(r::text, 0) AS h FROM routes r WHERE r.site_id = p_site AND r.active
      UNION ALL SELECT hashtextextended(rz::text, 0) FROM route_zones rz
        WHERE rz.route_id IN (SELECT r.id FROM routes r WHERE r.site_id = p_site AND r.active)
      UNION ALL SELECT hashtextextended(rd::text, 0) FROM route_departures rd
        WHERE rd.route_id IN (SELECT r.id FROM routes r WHERE r.site_id = p_site AND r.active)
      ) AS fp),
    'vehicles', (SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (
      SELECT hashtextextended(v::text, 0) AS h FROM vehicles v
      WHERE v.site_id = p_site AND v.active) AS fp),
    'contracts', (SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (
      SELECT hashtextextended(c::text, 0) AS h FROM contracts c WHERE c.customer_id = p_customer
      UNION ALL SELECT hashtextextended(cl::text, 0) FROM contract_lanes cl
        WHERE cl.contract_id IN (SELECT c.id FROM contracts c WHERE c.customer_id = p_customer)
      UNION ALL SELECT hashtextextended(b::text, 0) FROM lane_rate_breaks b
        JOIN contract_lanes cl ON cl.id = b.lane_id
        WHERE cl.contract_id IN (SELECT c.id FROM contracts c WHERE c.customer_id = p_customer)
      UNION ALL SELECT hashtextextended(a::text, 0) FROM accessorials a
        WHERE a.contract_id IN (SELECT c.id FROM contracts c WHERE c.customer_id = p_customer)
      UNION ALL SELECT hashtextextended(ft::text, 0) FROM fuel_surcharge_tables ft
        WHERE ft.id IN (SELECT c.fuel_table_id FROM contracts c WHERE c.customer_id = p_customer)
      UNION ALL SELECT hashtextextended(fb::text, 0) FROM fuel_surcharge_bands fb
        WHERE fb.table_id IN (SELECT c.fuel_table_id FROM contracts c WHERE c.customer_id = p_customer)
      UNION ALL SELECT hashtextextended(t::text, 0) FROM tax_jurisdictions t
        WHERE t.id IN (SELECT c.tax_id FROM contracts c WHERE c.customer_id = p_customer)
      ) AS fp));
END $$;

-- Everything one apply reads about its shipment (shipments/apply-state.ts gives the shape): the
-- shipment with its site, customer and ship-to, its events, lines with their SKUs, documents,
-- open gate holds, the active exceptions it may resolve, the last decision's fingerprint, the
-- gate's tolerance setting and the reference fingerprints. Numbers as text: no decimal passes
-- through a float.
CREATE FUNCTION shipment_apply_state(
  p_id uuid, p_refs text[], p_keys text[], p_anomalies text, p_holds text[], p_statuses text[],
  p_site uuid, p_customer uuid, p_country text)
RETURNS json LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN json_build_object(
    'shipment', (SELECT json_build_object(
       'id', s.id, 'siteId', s.site_id, 'customerId', s.customer_id, 'status', s.status,
       'readiness', s.readiness, 'dangerousGoods', s.dangerous_goods,
       'goodsValue', s.goods_value::text, 'currency', s.currency,
       'plannedTripId', s.planned_trip_id, 'handlingUnits', s.handling_units,
       'weightKg', s.weight_kg::text, 'volumeM3', s.volume_m3::text, 'stagedDock', s.staged_dock,
       'pickedAt', s.picked_at, 'qcAt', s.qc_at, 'packedStagedAt', s.packed_staged_at,
       'readyAt', s.ready_at, 'heldAt', s.held_at, 'slottedAt', s.slotted_at,
       'loadedAt', s.loaded_at, 'departedAt', s.departed_at, 'arrivedAt', s.arrived_at,
       'deliveredAt', s.delivered_at, 'podReceivedAt', s.pod_received_at,
       'invoicedAt', s.invoiced_at, 'cancelledAt', s.cancelled_at,
       'timeZone', si.time_zone, 'postalCode', l.postal_code, 'country', l.country,
       'allowsPartial', c.allows_partial, 'creditLimit', c.credit_limit::text,
       'creditBlocked', c.credit_blocked, 'customerCurrency', c.currency)
     FROM shipments s
     JOIN sites si ON si.id = s.site_id
     JOIN customers c ON c.id = s.customer_id
     JOIN customer_locations l ON l.id = s.ship_to_id
     WHERE s.id = p_id),
    'events', (SELECT coalesce(json_agg(json_build_object(
       'id', e.id, 'eventId', e.event_id, 'partnerId', e.partner_id, 'type', e.type,
       'occurredAt', e.occurred_at, 'receivedAt', e.received_at,
       'disposition', e.disposition, 'shipmentId', e.shipment_id, 'payload', e.payload)
       ORDER BY e.occurred_at, e.event_id), '[]'::json)
     FROM shipment_events e
     WHERE e.order_ref = ANY(p_refs) OR e.shipment_ref = ANY(p_refs) OR e.shipment_id = p_id),
    'lines', (SELECT coalesce(json_agg(json_build_object(
       'orderLineId', sl.order_line_id, 'lineNo', ol.line_no, 'orderedQty', sl.ordered_qty::text,
       'pickedQty', sl.picked_qty::text, 'deliveredQty', sl.delivered_qty::text, 'lot', sl.lot,
       'location', sl.location, 'qcFailed', sl.qc_failed, 'quantity', ol.quantity::text,
       'uomCode', ol.uom_code,
       'sku', json_build_object(
         'code', k.code, 'baseUom', k.base_uom, 'unNumber', k.un_number,
         'hazardClass', k.hazard_class, 'weightKg', k.weight_kg::text,
         'volumeM3', k.volume_m3::text,
         'units', (SELECT coalesce(json_agg(json_build_object(
                     'uomCode', u.uom_code, 'factor', u.factor::text) ORDER BY u.uom_code),
                     '[]'::json)
                   FROM sku_units u WHERE u.sku_id = k.id)))
       ORDER BY ol.line_no, sl.order_line_id), '[]'::json)
     FROM shipment_lines sl
     JOIN order_lines ol ON ol.id = sl.order_line_id
     JOIN skus k ON k.id = ol.sku_id
     WHERE sl.shipment_id = p_id),
    'documents', (SELECT coalesce(json_agg(json_build_object(
       'kind', d.kind, 'reference', d.reference, 'uri', d.uri, 'orderLineId', d.order_line_id,
       'eventId', d.event_id, 'receivedAt', d.received_at, 'voidedAt', d.voided_at)
       ORDER BY d.received_at, d.id), '[]'::json)
     FROM shipment_documents d WHERE d.shipment_id = p_id),
    'holds', (SELECT coalesce(json_agg(json_build_object('id', h.id, 'reason', h.reason)
       ORDER BY h.placed_at, h.id), '[]'::json)
     FROM holds h
     WHERE h.shipment_id = p_id AND h.released_at IS NULL AND h.reason::text = ANY(p_holds)),
    'keys', (SELECT coalesce(json_agg(x.dedupe_key), '[]'::json)
     FROM exceptions x
     WHERE x.status::text = ANY(p_statuses)
       AND (x.dedupe_key = ANY(p_keys)
            OR (x.shipment_id = p_id AND x.dedupe_key LIKE p_anomalies))),
    'fingerprint', (SELECT rd.checks->>'fingerprint' FROM readiness_decisions rd
     WHERE rd.shipment_id = p_id ORDER BY rd.decided_at DESC LIMIT 1),
    'tolerance', (SELECT st.value FROM settings st WHERE st.key = 'gate.quantityTolerance'),
    'versions', gate_reference_versions(p_site, p_customer, p_country));
END $$;
