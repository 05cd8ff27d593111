-- shipment_apply_state without the gate's reference fingerprints: applies made together read
-- the shipments of one site, customer and ship-to country, whose fingerprints are the same, so
-- shipments/apply-state.ts reads them once per such trio beside the facts of each shipment.
CREATE FUNCTION shipment_apply_facts(
  p_id uuid, p_refs text[], p_keys text[], p_anomalies text, p_holds text[], p_statuses text[])
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
    'tolerance', (SELECT st.value FROM settings st WHERE st.key = 'gate.quantityTolerance'));
END $$;

DROP FUNCTION shipment_apply_state(uuid, text[], text[], text, text[], text[], uuid, uuid, text);
