
-- CreateTable
CREATE TABLE "credit_exposures" (
    "customer_id" UUID NOT NULL,
    "released_unpaid" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "shipped_or_ready_not_invoiced" DECIMAL(20,4) NOT NULL DEFAULT 0,

    CONSTRAINT "credit_exposures_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "credit_exposure_changes" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "released_unpaid" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "shipped_or_ready_not_invoiced" DECIMAL(20,4) NOT NULL DEFAULT 0,

    CONSTRAINT "credit_exposure_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credit_exposure_changes_customer_id_idx" ON "credit_exposure_changes"("customer_id");


-- A shipment's part of its customer's exposure: its goods value and its charges neither voided nor
-- invoiced, while it left or is READY and is neither invoiced nor cancelled (the credit check's rule).
CREATE FUNCTION credit_shipment_part(s shipments) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN s.invoiced_at IS NULL AND s.cancelled_at IS NULL
      AND (s.readiness = 'READY' OR s.departed_at IS NOT NULL)
    THEN coalesce(s.goods_value, 0) + coalesce(
      (SELECT sum(c.amount) FROM charges c
       WHERE c.shipment_id = s.id AND c.voided_at IS NULL AND c.invoice_id IS NULL), 0)
    ELSE 0 END
$$;

-- A released invoice's part: what is not yet paid of it.
CREATE FUNCTION credit_invoice_part(i invoices) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN i.status = 'RELEASED'
    THEN i.total - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id), 0)
    ELSE 0 END
$$;

CREATE FUNCTION credit_exposure_change(customer uuid, released numeric, open numeric)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF released <> 0 OR open <> 0 THEN
    INSERT INTO credit_exposure_changes (customer_id, released_unpaid, shipped_or_ready_not_invoiced)
    VALUES (customer, released, open);
  END IF;
END $$;

-- The trigger functions are volatile: each of their statements reads a snapshot of its own, so
-- that a change waited for (the row locks below) is seen once it has committed.
CREATE FUNCTION credit_shipment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.customer_id = NEW.customer_id THEN
    PERFORM credit_exposure_change(NEW.customer_id, 0,
      credit_shipment_part(NEW) - credit_shipment_part(OLD));
  ELSE
    IF TG_OP <> 'INSERT' THEN
      PERFORM credit_exposure_change(OLD.customer_id, 0, -credit_shipment_part(OLD));
    END IF;
    IF TG_OP <> 'DELETE' THEN
      PERFORM credit_exposure_change(NEW.customer_id, 0, credit_shipment_part(NEW));
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A charge counts only while its shipment does. The shipment is locked against a concurrent
-- change of its own part (which sums the charges it can see): one of the two waits for the other
-- and then sees it, so that a change is never counted twice or not at all.
CREATE FUNCTION credit_charge_part_changed(shipment uuid, change numeric)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s record;
BEGIN
  IF change = 0 THEN
    RETURN;
  END IF;
  SELECT x.customer_id, x.invoiced_at, x.cancelled_at, x.readiness, x.departed_at INTO s
  FROM shipments x WHERE x.id = shipment FOR NO KEY UPDATE;
  IF FOUND AND s.invoiced_at IS NULL AND s.cancelled_at IS NULL
    AND (s.readiness = 'READY' OR s.departed_at IS NOT NULL) THEN
    PERFORM credit_exposure_change(s.customer_id, 0, change);
  END IF;
END $$;

CREATE FUNCTION credit_charge_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was numeric := 0;
  now_ numeric := 0;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.voided_at IS NULL AND OLD.invoice_id IS NULL THEN
    was := OLD.amount;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.voided_at IS NULL AND NEW.invoice_id IS NULL THEN
    now_ := NEW.amount;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.shipment_id = NEW.shipment_id THEN
    PERFORM credit_charge_part_changed(NEW.shipment_id, now_ - was);
  ELSE
    IF TG_OP <> 'INSERT' THEN
      PERFORM credit_charge_part_changed(OLD.shipment_id, -was);
    END IF;
    IF TG_OP <> 'DELETE' THEN
      PERFORM credit_charge_part_changed(NEW.shipment_id, now_);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION credit_invoice_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.customer_id = NEW.customer_id THEN
    PERFORM credit_exposure_change(NEW.customer_id,
      credit_invoice_part(NEW) - credit_invoice_part(OLD), 0);
  ELSE
    IF TG_OP <> 'INSERT' THEN
      PERFORM credit_exposure_change(OLD.customer_id, -credit_invoice_part(OLD), 0);
    END IF;
    IF TG_OP <> 'DELETE' THEN
      PERFORM credit_exposure_change(NEW.customer_id, credit_invoice_part(NEW), 0);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A payment lowers what is unpaid of a released invoice; the invoice is locked as a charge
-- locks its shipment.
CREATE FUNCTION credit_payment_part_changed(invoice uuid, paid numeric)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  i record;
BEGIN
  IF invoice IS NULL OR paid = 0 THEN
    RETURN;
  END IF;
  SELECT x.customer_id, x.status INTO i FROM invoices x WHERE x.id = invoice FOR NO KEY UPDATE;
  IF FOUND AND i.status = 'RELEASED' THEN
    PERFORM credit_exposure_change(i.customer_id, -paid, 0);
  END IF;
END $$;

CREATE FUNCTION credit_payment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.invoice_id IS NOT DISTINCT FROM NEW.invoice_id THEN
    PERFORM credit_payment_part_changed(NEW.invoice_id, NEW.amount - OLD.amount);
  ELSE
    IF TG_OP <> 'INSERT' THEN
      PERFORM credit_payment_part_changed(OLD.invoice_id, -OLD.amount);
    END IF;
    IF TG_OP <> 'DELETE' THEN
      PERFORM credit_payment_part_changed(NEW.invoice_id, NEW.amount);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER credit_exposure_shipment_written AFTER INSERT OR DELETE ON shipments
  FOR EACH ROW EXECUTE FUNCTION credit_shipment_changed();
CREATE TRIGGER credit_exposure_shipment_changed AFTER UPDATE ON shipments
  FOR EACH ROW WHEN (
    OLD.readiness IS DISTINCT FROM NEW.readiness
    OR OLD.departed_at IS DISTINCT FROM NEW.departed_at
    OR OLD.invoiced_at IS DISTINCT FROM NEW.invoiced_at
    OR OLD.cancelled_at IS DISTINCT FROM NEW.cancelled_at
    OR OLD.goods_value IS DISTINCT FROM NEW.goods_value
    OR OLD.customer_id IS DISTINCT FROM NEW.customer_id)
  EXECUTE FUNCTION credit_shipment_changed();

CREATE TRIGGER credit_exposure_charge_written AFTER INSERT OR DELETE ON charges
  FOR EACH ROW EXECUTE FUNCTION credit_charge_changed();
CREATE TRIGGER credit_exposure_charge_changed AFTER UPDATE ON charges
  FOR EACH ROW WHEN (
    OLD.amount IS DISTINCT FROM NEW.amount
    OR OLD.voided_at IS DISTINCT FROM NEW.voided_at
    OR OLD.invoice_id IS DISTINCT FROM NEW.invoice_id
    OR OLD.shipment_id IS DISTINCT FROM NEW.shipment_id)
  EXECUTE FUNCTION credit_charge_changed();

CREATE TRIGGER credit_exposure_invoice_written AFTER INSERT OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION credit_invoice_changed();
CREATE TRIGGER credit_exposure_invoice_changed AFTER UPDATE ON invoices
  FOR EACH ROW WHEN (
    OLD.status IS DISTINCT FROM NEW.status
    OR OLD.total IS DISTINCT FROM NEW.total
    OR OLD.customer_id IS DISTINCT FROM NEW.customer_id)
  EXECUTE FUNCTION credit_invoice_changed();

CREATE TRIGGER credit_exposure_payment_written AFTER INSERT OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION credit_payment_changed();
CREATE TRIGGER credit_exposure_payment_changed AFTER UPDATE ON payments
  FOR EACH ROW WHEN (
    OLD.amount IS DISTINCT FROM NEW.amount OR OLD.invoice_id IS DISTINCT FROM NEW.invoice_id)
  EXECUTE FUNCTION credit_payment_changed();

-- What already stands, summed once by the rule; every later write adds its change.
INSERT INTO credit_exposures (customer_id, released_unpaid, shipped_or_ready_not_invoiced)
SELECT c.id,
  coalesce((SELECT sum(credit_invoice_part(i)) FROM invoices i WHERE i.customer_id = c.id), 0),
  coalesce((SELECT sum(credit_shipment_part(s)) FROM shipments s WHERE s.customer_id = c.id), 0)
FROM customers c;
