-- Shipment and exception events for webhook subscribers, written into the outbox by triggers in
-- the transaction of the change itself, whichever code path made it (the apply job, the gate,
-- slotting, a person's action, a set-based update). A message is only written while a live
-- subscription to its topic exists, so a deployment without subscribers pays one lookup in a
-- tiny table per status change. The topics and their payloads are listed, with their versions,
-- in server/domain/integration/webhooks/catalog.ts; deliver_outbox fans each message out.

CREATE FUNCTION webhook_topic_wanted(wanted TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM webhook_subscriptions WHERE wanted = ANY (topics) AND deleted_at IS NULL
  )
$$;

CREATE FUNCTION webhook_publish(topic TEXT, aggregate_id TEXT, payload JSONB) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  message_id UUID := gen_random_uuid();
BEGIN
  INSERT INTO outbox_messages (id, topic, aggregate_id, payload, created_at)
  VALUES (message_id, topic, aggregate_id, payload, now());
  PERFORM graphile_worker.add_job(
    'deliver_outbox',
    json_build_object('id', message_id),
    job_key := 'deliver_outbox:' || message_id,
    max_attempts := 12
  );
END
$$;

CREATE FUNCTION shipments_publish_status() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  topic TEXT := CASE NEW.status::TEXT
    WHEN 'READY' THEN 'shipment.ready'
    WHEN 'HELD' THEN 'shipment.held'
    WHEN 'DEPARTED' THEN 'shipment.departed'
    WHEN 'DELIVERED' THEN 'shipment.delivered'
    WHEN 'POD_RECEIVED' THEN 'shipment.pod-received'
  END;
BEGIN
  IF topic IS NULL OR NOT webhook_topic_wanted(topic) THEN
    RETURN NULL;
  END IF;
  PERFORM webhook_publish(topic, NEW.id::TEXT, jsonb_build_object(
    'shipmentId', NEW.id,
    'ref', NEW.ref,
    'orderRef', (SELECT o.ref FROM orders o WHERE o.id = NEW.order_id),
    'siteCode', (SELECT s.code FROM sites s WHERE s.id = NEW.site_id),
    'customerCode', (SELECT c.code FROM customers c WHERE c.id = NEW.customer_id),
    'status', NEW.status,
    'previousStatus', OLD.status,
    'changedAt', now(),
    'milestones', jsonb_build_object(
      'readyAt', NEW.ready_at,
      'heldAt', NEW.held_at,
      'departedAt', NEW.departed_at,
      'arrivedAt', NEW.arrived_at,
      'deliveredAt', NEW.delivered_at,
      'podReceivedAt', NEW.pod_received_at
    ),
    'holds', (
      SELECT coalesce(jsonb_agg(jsonb_build_object('reason', h.reason, 'detail', h.detail)
                                ORDER BY h.reason), '[]'::jsonb)
      FROM holds h WHERE h.shipment_id = NEW.id AND h.released_at IS NULL
    )
  ));

  RETURN NULL;
END
$$;

CREATE TRIGGER shipments_publish_status
AFTER UPDATE OF status ON shipments
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION shipments_publish_status();

CREATE FUNCTION exceptions_publish() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  topic TEXT := CASE WHEN TG_OP = 'INSERT' THEN 'exception.opened' ELSE 'exception.resolved' END;
BEGIN
  IF NOT webhook_topic_wanted(topic) THEN
    RETURN NULL;
  END IF;
  PERFORM webhook_publish(topic, NEW.id::TEXT, jsonb_build_object(
    'exceptionId', NEW.id,
    'type', NEW.type,
    'severity', NEW.severity,
    'status', NEW.status,
    'ownerTeam', NEW.owner_team,
    'title', NEW.title,
    'shipmentId', NEW.shipment_id,
    'shipmentRef', (SELECT s.ref FROM shipments s WHERE s.id = NEW.shipment_id),
    'siteCode', (SELECT s.code FROM sites s WHERE s.id = NEW.site_id),
    'openedAt', NEW.opened_at,
    'resolutionDueAt', NEW.resolution_due_at,
    'resolvedAt', NEW.resolved_at,
    'resolutionCode', NEW.resolution_code
  ));

  RETURN NULL;
END
$$;

CREATE TRIGGER exceptions_publish_opened
AFTER INSERT ON exceptions
FOR EACH ROW EXECUTE FUNCTION exceptions_publish();

CREATE TRIGGER exceptions_publish_resolved
AFTER UPDATE OF status ON exceptions
FOR EACH ROW WHEN (NEW.status = 'RESOLVED' AND OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION exceptions_publish();
