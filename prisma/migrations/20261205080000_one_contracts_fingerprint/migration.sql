-- The gate's fingerprint of a customer's contracts is billing's (billing_contracts_version):
-- one definition of what a change to the contracts and everything they rate by is, instead of
-- two copies of the same query. Same value, so the caches keyed by it carry on.
CREATE OR REPLACE FUNCTION gate_reference_versions(p_site uuid, p_customer uuid, p_country text)
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
    'contracts', billing_contracts_version(p_customer));
END $$;
