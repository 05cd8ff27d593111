-- A shipment's status event is built when its transaction commits, not when the row changes.
-- Writers may set the status before they write the holds it stands on (the gate writes the
-- shipment's row in its decision statement, then the holds that name that decision), and an
-- event built at the row change then told a subscriber HELD with no holds. As a deferred
-- constraint trigger it reads the holds as the transaction leaves them.
DROP TRIGGER shipments_publish_status ON shipments;

CREATE CONSTRAINT TRIGGER shipments_publish_status
AFTER UPDATE OF status ON shipments
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION shipments_publish_status();
