-- The branch jobs' reads (dispatch slotting, billing pre-validation, the ERP shipment record) as
-- PL/pgSQL functions: a connection plans a function's statements once and reuses the plan
-- (planning each read as a statement of its own cost more than running it, on every job), and,
-- being VOLATILE, each statement in a function takes a fresh snapshot, so a read that follows a
-- lock in the same call sees everything committed before the lock was granted. That makes the
-- lock and the read one round trip. Numbers as text: no decimal passes through a float; times
-- as JavaScript's toISOString() writes them.

CREATE FUNCTION branch_iso(p_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The head of an audit chain (its last seq and hash), or null for a new chain.
CREATE FUNCTION branch_audit_head(p_type text, p_id text) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object('seq', a.seq, 'hash', a.hash) FROM audit_log a
  WHERE a.entity_type = p_type AND a.entity_id = p_id ORDER BY a.seq DESC LIMIT 1
$$;

-- The fingerprint of a customer's contracts and everything they rate by (a count and a sum of
-- row hashes): billing's contract cache (billing/rating-reference.ts) serves them from memory
-- while it is unchanged.
CREATE FUNCTION billing_contracts_version(p_customer uuid) RETURNS text
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN (SELECT count(*)::text || ':' || coalesce(sum(h), 0)::text FROM (
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
    ) AS fp);
END $$;

-- A shipment's picked lines with their SKUs, as dispatch/shipment-load.ts measures them.
CREATE FUNCTION branch_shipment_lines(p_id uuid) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT coalesce(json_agg(json_build_object('pickedQty', sl.picked_qty::text,
      'orderLine', json_build_object('sku', json_build_object('code', k.code,
        'unNumber', k.un_number, 'hazardClass', k.hazard_class,
        'weightKg', k.weight_kg::text, 'volumeM3', k.volume_m3::text))) ORDER BY sl.id), '[]')
  FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
  JOIN skus k ON k.id = ol.sku_id WHERE sl.shipment_id = p_id
$$;

-- Billing pre-validation's locks and read (billing/prevalidate-billing.ts gives the shape):
-- the run's own lock, the shipment's row (KEY SHARE) before its audit chain's lock, then the
-- shipment with its lines and ship-to, the delivery zones of its country, its contracts'
-- fingerprint, the fuel index around its ship date, its charges, whether its NO_RATE exception
-- is open and the head of its audit chain. Null: no such shipment.
CREATE FUNCTION billing_read(
  p_id text, p_lock_key text, p_no_rate_key text, p_statuses text[])
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_key, 0));
  PERFORM count(*) FROM (SELECT 1 FROM shipments WHERE id = p_id::uuid FOR KEY SHARE) AS s;
  PERFORM pg_advisory_xact_lock(hashtextextended('audit:Shipment:' || p_id, 0)),
    pg_current_xact_id();
  RETURN (
    WITH s AS (
      SELECT s.*, to_char(coalesce(t.service_date,
          (coalesce(s.packed_staged_at, s.released_at) AT TIME ZONE st.time_zone)::date),
          'YYYY-MM-DD') AS ship_date
      FROM shipments s JOIN sites st ON st.id = s.site_id
      LEFT JOIN trips t ON t.id = s.planned_trip_id
      WHERE s.id = p_id::uuid)
    SELECT json_build_object('id', s.id, 'ref', s.ref, 'siteId', s.site_id,
      'customerId', s.customer_id, 'handlingUnits', s.handling_units,
      'dangerousGoods', s.dangerous_goods, 'weightKg', s.weight_kg::text,
      'volumeM3', s.volume_m3::text, 'cancelledAt', branch_iso(s.cancelled_at),
      'invoicedAt', branch_iso(s.invoiced_at), 'shipDate', s.ship_date,
      'shipTo', json_build_object('postalCode', l.postal_code, 'country', l.country),
      'lines', branch_shipment_lines(s.id),
      'invoicedCharges', (SELECT count(*) FROM charges c
        WHERE c.shipment_id = s.id AND c.voided_at IS NULL AND c.invoice_id IS NOT NULL),
      'liveCharges', (SELECT count(*) FROM charges c
        WHERE c.shipment_id = s.id AND c.voided_at IS NULL AND c.invoice_id IS NULL),
      'zones', coalesce((SELECT json_agg(json_build_object('id', z.id, 'code', z.code,
          'country', z.country, 'postalPrefixes', z.postal_prefixes) ORDER BY z.code)
        FROM delivery_zones z WHERE upper(btrim(z.country)) = upper(btrim(l.country))), '[]'),
      'contractsVersion', billing_contracts_version(s.customer_id),
      'fuelPrices', coalesce((SELECT json_agg(json_build_object('region', f.region,
          'weekStart', to_char(f.week_start, 'YYYY-MM-DD'), 'price', f.price::text))
        FROM fuel_price_index f
        WHERE f.region IN (SELECT c.fuel_region FROM contracts c WHERE c.customer_id = s.customer_id)
          AND f.week_start BETWEEN s.ship_date::date - 7 AND s.ship_date::date), '[]'),
      'noRateOpen', EXISTS (SELECT 1 FROM exceptions e WHERE e.dedupe_key = p_no_rate_key
        AND e.status::text = ANY (p_statuses)),
      'auditHead', branch_audit_head('Shipment', p_id))
    FROM s JOIN customer_locations l ON l.id = s.ship_to_id);
END $$;

-- The entity ids are text as the jobs' payloads carry them: the audit lock and chain are keyed
-- by that text, as write-audit.ts keys them.

-- Slotting's locks and read of the shipment (dispatch/load-slotting-input.ts gives the shape):
-- the shipment's row, its audit chain's lock (the order the apply takes them in) and the site's
-- active dock doors in id order (every slotting run of the site takes them first, so runs of
-- one site take turns), then the shipment with its lines, standing booking, the slotting
-- settings, its planned trip with the departure's rule, whether its CAPACITY exception is open
-- and the head of its audit chain. Null: no such shipment.
CREATE FUNCTION slotting_read(p_id text, p_capacity_key text, p_statuses text[])
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_site uuid;
BEGIN
  SELECT site_id INTO v_site FROM shipments WHERE id = p_id::uuid FOR UPDATE;
  IF NOT FOUND THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('audit:Shipment:' || p_id, 0)),
    pg_current_xact_id();
  PERFORM count(*) FROM (SELECT d.id FROM dock_doors d WHERE d.site_id = v_site AND d.active
    ORDER BY d.id FOR NO KEY UPDATE) AS d;
  RETURN (SELECT json_build_object('id', s.id, 'ref', s.ref, 'siteId', s.site_id,
      'timeZone', st.time_zone, 'readiness', s.readiness, 'dangerousGoods', s.dangerous_goods,
      'weightKg', s.weight_kg::text, 'volumeM3', s.volume_m3::text,
      'pickedAt', branch_iso(s.picked_at), 'packedStagedAt', branch_iso(s.packed_staged_at),
      'slottedAt', branch_iso(s.slotted_at), 'loadedAt', branch_iso(s.loaded_at),
      'departedAt', branch_iso(s.departed_at), 'arrivedAt', branch_iso(s.arrived_at),
      'deliveredAt', branch_iso(s.delivered_at), 'podReceivedAt', branch_iso(s.pod_received_at),
      'invoicedAt', branch_iso(s.invoiced_at), 'cancelledAt', branch_iso(s.cancelled_at),
      'booked', EXISTS (SELECT 1 FROM dispatch_bookings b
        WHERE b.shipment_id = s.id AND b.status = 'BOOKED'),
      'lines', branch_shipment_lines(s.id),
      'settings', (SELECT value FROM settings WHERE key = 'dispatch.slotting'),
      'plannedTrip', (SELECT json_build_object('id', t.id,
          'serviceDate', to_char(t.service_date, 'YYYY-MM-DD'),
          'departsAt', branch_iso(t.departs_at), 'cutoffAt', branch_iso(t.cutoff_at),
          'routeId', r.id, 'routeCode', r.code,
          'rule', json_build_object('id', d.id, 'routeId', d.route_id, 'weekdays', d.weekdays,
            'departMinute', d.depart_minute, 'cutoffMinute', d.cutoff_minute))
        FROM trips t JOIN route_departures d ON d.id = t.departure_id
        JOIN routes r ON r.id = d.route_id WHERE t.id = s.planned_trip_id),
      'capacityOpen', EXISTS (SELECT 1 FROM exceptions e WHERE e.dedupe_key = p_capacity_key
        AND e.status::text = ANY (p_statuses)),
      'auditHead', branch_audit_head('Shipment', p_id))
    FROM shipments s JOIN sites st ON st.id = s.site_id WHERE s.id = p_id::uuid);
END $$;

-- The candidate runs of a slotting run (p_runs: departure_id, service_date, departs_at,
-- cutoff_at), the missing ones created; then, with a fresh snapshot (a run another transaction
-- created while the insert waited on its key is seen), all of them locked (NO KEY UPDATE: it
-- excludes other writers of the trip, not a shipment being pointed at it, whose foreign-key
-- check takes KEY SHARE); then the site's fleet, the vehicles busy on those days, the bookings
-- on the runs and the doors' slots from p_from to the last departure.
CREATE FUNCTION slotting_capacity(p_site uuid, p_runs json, p_from timestamptz)
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_trips json;
BEGIN
  INSERT INTO trips (id, departure_id, service_date, departs_at, cutoff_at)
  SELECT gen_random_uuid(), r.departure_id, r.service_date, r.departs_at, r.cutoff_at
  FROM json_to_recordset(p_runs)
    AS r(departure_id uuid, service_date date, departs_at timestamptz, cutoff_at timestamptz)
  ON CONFLICT (departure_id, service_date) DO NOTHING;

  SELECT coalesce(json_agg(json_build_object('id', c.id, 'departureId', c.departure_id,
      'serviceDate', to_char(c.service_date, 'YYYY-MM-DD'), 'departsAt', branch_iso(c.departs_at),
      'cutoffAt', branch_iso(c.cutoff_at), 'vehicleId', c.vehicle_id, 'status', c.status)), '[]')
  INTO v_trips
  FROM (SELECT t.* FROM trips t
    JOIN json_to_recordset(p_runs) AS r(departure_id uuid, service_date date)
      ON r.departure_id = t.departure_id AND r.service_date = t.service_date
    ORDER BY t.id FOR NO KEY UPDATE OF t) AS c;

  RETURN (WITH runs AS (
      SELECT * FROM json_to_recordset(p_runs)
        AS r(departure_id uuid, service_date date, departs_at timestamptz)
    ), cand AS (
      SELECT t.id FROM trips t
      JOIN runs r ON r.departure_id = t.departure_id AND r.service_date = t.service_date
    ), fleet AS (
      SELECT v.id, v.max_weight_kg, v.max_volume_m3, v.dg_classes FROM vehicles v
      WHERE v.site_id = p_site AND v.active
    )
    SELECT json_build_object('trips', v_trips,
      'vehicles', coalesce((SELECT json_agg(json_build_object('id', f.id,
          'maxWeightKg', f.max_weight_kg::text, 'maxVolumeM3', f.max_volume_m3::text,
          'dgClasses', f.dg_classes)) FROM fleet f), '[]'),
      'busy', coalesce((SELECT json_agg(json_build_object('id', t.id, 'vehicleId', t.vehicle_id,
          'serviceDate', to_char(t.service_date, 'YYYY-MM-DD')))
        FROM trips t WHERE t.vehicle_id IN (SELECT id FROM fleet)
          AND t.service_date IN (SELECT service_date FROM runs)
          AND t.status IN ('PLANNED', 'LOADING')), '[]'),
      'bookings', coalesce((SELECT json_agg(json_build_object('tripId', b.trip_id,
          'vehicleId', b.vehicle_id, 'weightKg', b.weight_kg::text,
          'volumeM3', b.volume_m3::text))
        FROM dispatch_bookings b WHERE b.trip_id IN (SELECT id FROM cand)
          AND b.status <> 'CANCELLED'), '[]'),
      'doors', coalesce((SELECT json_agg(json_build_object('id', d.id, 'code', d.code,
          'slots', coalesce((SELECT json_agg(json_build_object(
              'start', branch_iso(b.slot_start), 'end', branch_iso(b.slot_end)))
            FROM dispatch_bookings b WHERE b.dock_door_id = d.id AND b.status <> 'CANCELLED'
              AND b.slot_end > p_from
              AND b.slot_start < (SELECT max(departs_at) FROM runs)), '[]')) ORDER BY d.code)
        FROM dock_doors d WHERE d.site_id = p_site AND d.active), '[]')));
END $$;

-- The ERP shipment record's lock and read (integration/publish-shipment-record.ts gives the
-- shape): publications of one shipment take turns, then the shipment with its order, customer,
-- site, ship-to, open holds, planned trip and latest booking, and the last message sent for it.
-- Null: no such shipment.
CREATE FUNCTION shipment_record_read(p_id text, p_lock_key text, p_topic text)
RETURNS json LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_lock_key, 0));
  RETURN (SELECT json_build_object('id', s.id, 'ref', s.ref, 'readiness', s.readiness,
      'goodsValue', s.goods_value::text, 'currency', s.currency,
      'weightKg', s.weight_kg::text, 'volumeM3', s.volume_m3::text,
      'handlingUnits', s.handling_units, 'dangerousGoods', s.dangerous_goods,
      'releasedAt', branch_iso(s.released_at), 'pickedAt', branch_iso(s.picked_at),
      'packedStagedAt', branch_iso(s.packed_staged_at), 'readyAt', branch_iso(s.ready_at),
      'heldAt', branch_iso(s.held_at), 'slottedAt', branch_iso(s.slotted_at),
      'loadedAt', branch_iso(s.loaded_at), 'departedAt', branch_iso(s.departed_at),
      'arrivedAt', branch_iso(s.arrived_at), 'deliveredAt', branch_iso(s.delivered_at),
      'podReceivedAt', branch_iso(s.pod_received_at), 'invoicedAt', branch_iso(s.invoiced_at),
      'cancelledAt', branch_iso(s.cancelled_at), 'orderRef', o.ref, 'poNumber', o.po_number,
      'customerCode', c.code, 'siteCode', st.code,
      'shipTo', json_build_object('code', l.code, 'postalCode', l.postal_code,
        'country', l.country),
      'holds', coalesce((SELECT json_agg(json_build_object('reason', h.reason,
          'detail', h.detail) ORDER BY h.reason)
        FROM holds h WHERE h.shipment_id = s.id AND h.released_at IS NULL), '[]'),
      'plannedTrip', (SELECT json_build_object('id', t.id, 'routeCode', r.code,
          'serviceDate', to_char(t.service_date, 'YYYY-MM-DD'),
          'departsAt', branch_iso(t.departs_at), 'cutoffAt', branch_iso(t.cutoff_at))
        FROM trips t JOIN route_departures d ON d.id = t.departure_id
        JOIN routes r ON r.id = d.route_id WHERE t.id = s.planned_trip_id),
      'booking', (SELECT json_build_object('tripId', b.trip_id, 'status', b.status,
          'vehicleCode', v.code, 'dockDoorCode', dd.code,
          'slotStart', branch_iso(b.slot_start), 'slotEnd', branch_iso(b.slot_end))
        FROM dispatch_bookings b JOIN vehicles v ON v.id = b.vehicle_id
        JOIN dock_doors dd ON dd.id = b.dock_door_id
        WHERE b.shipment_id = s.id AND b.status <> 'CANCELLED'
        ORDER BY b.booked_at DESC LIMIT 1),
      'latest', (SELECT json_build_object('id', m.id, 'hash', m.payload->>'contentHash',
          'sequence', (m.payload->>'sequence')::int)
        FROM outbox_messages m WHERE m.topic = p_topic AND m.aggregate_id = p_id
        ORDER BY (m.payload->>'sequence')::int DESC NULLS LAST, m.created_at DESC LIMIT 1))
    FROM shipments s
    JOIN orders o ON o.id = s.order_id
    JOIN customers c ON c.id = s.customer_id
    JOIN sites st ON st.id = s.site_id
    JOIN customer_locations l ON l.id = s.ship_to_id
    WHERE s.id = p_id::uuid);
END $$;
