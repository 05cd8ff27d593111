-- The readiness gate reads a customer's open shipments (not invoiced, not cancelled) for its credit
-- exposure on every decision: an index that finds exactly those, so the read does not grow with history.
CREATE INDEX "shipments_customer_id_invoiced_at_cancelled_at_idx" ON "shipments"("customer_id", "invoiced_at", "cancelled_at");
