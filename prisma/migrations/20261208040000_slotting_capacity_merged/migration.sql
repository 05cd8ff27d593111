-- slotting_capacity read the bookings on a site's runs and its doors one row per booking: a
-- read that grew with the day's bookings, in every slotting run. The same answer, summed: each
-- run's vehicle's load (what slotting adds up per run and vehicle anyway), and each door's busy
-- time merged into unbroken stretches (range_agg: overlapping and touching slots become
-- one). A slot ending where a merged-away booking began would overlap the booking before it,
-- so no free slot is lost (dispatch/slotting-rules.ts, latestFreeSlot). What is read no longer
-- grows with the bookings of a day, only with the gaps between them.

CREATE OR REPLACE FUNCTION slotting_capacity(p_site uuid, p_runs json, p_from timestamptz)
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
        FROM (SELECT b.trip_id, b.vehicle_id, sum(b.weight_kg) AS weight_kg,
            sum(b.volume_m3) AS volume_m3
          FROM dispatch_bookings b WHERE b.trip_id IN (SELECT id FROM cand)
            AND b.status <> 'CANCELLED'
          GROUP BY b.trip_id, b.vehicle_id) AS b), '[]'),
      'doors', coalesce((SELECT json_agg(json_build_object('id', d.id, 'code', d.code,
          'slots', coalesce((SELECT json_agg(json_build_object(
              'start', branch_iso(lower(busy)), 'end', branch_iso(upper(busy)))
              ORDER BY lower(busy))
            FROM unnest((SELECT range_agg(tstzrange(b.slot_start, b.slot_end))
              FROM dispatch_bookings b WHERE b.dock_door_id = d.id AND b.status <> 'CANCELLED'
                AND b.slot_end > p_from
                AND b.slot_start < (SELECT max(departs_at) FROM runs))) AS busy), '[]'))
          ORDER BY d.code)
        FROM dock_doors d WHERE d.site_id = p_site AND d.active), '[]')));
END $$;
