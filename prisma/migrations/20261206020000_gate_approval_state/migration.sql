-- What the gate's approval rules read, for the apply's state read to take in the same statement
-- (apply-state.ts): the active rules of the given kinds, and the shipment's requests under them
-- in the order they were made (the latest per rule counts). A function, so that a connection
-- plans it once.
CREATE FUNCTION gate_approval_state(p_shipment uuid, p_kinds text[])
RETURNS json LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  RETURN (
    WITH rules AS (
      SELECT r.id, r.name, r.kind, r.condition, r.required_role, r.required_level, r.created_at
      FROM approval_rules r
      WHERE r.active AND r.kind::text = ANY (p_kinds))
    SELECT json_build_object(
      'rules', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'kind', kind,
          'condition', condition, 'requiredRole', required_role, 'requiredLevel', required_level)
          ORDER BY created_at, id), '[]'::json) FROM rules),
      'requests', (SELECT coalesce(json_agg(json_build_object('ruleId', q.rule_id,
          'status', q.status, 'decisionNote', q.decision_note) ORDER BY q.created_at, q.id),
          '[]'::json)
        FROM approval_requests q
        WHERE q.shipment_id = p_shipment AND q.rule_id IN (SELECT id FROM rules))));
END $$;
