-- Decisions made together decide their customers' credit on a book read before any credit lock
-- (credit_book), and confirm it under the locks just before they commit (credit_confirm): the
-- lock is held over the commit only, not over the decisions and their writes, so that a busy
-- customer's decisions do not queue behind each other (readiness/credit-confirm.ts).

-- The part and value of each shipment named, as the books carry them.
CREATE FUNCTION credit_book_parts(shipment_ids uuid[]) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT coalesce(json_agg(json_build_object(
    'id', s.id, 'part', credit_shipment_part(s)::text, 'value', credit_shipment_value(s)::text)),
    '[]'::json)
  FROM shipments s WHERE s.id = ANY(shipment_ids)
$$;

CREATE OR REPLACE FUNCTION credit_locked_book(customer uuid, shipment_ids uuid[], lock_key text)
RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  book json;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
  SELECT json_build_object('unpaid', e.unpaid, 'open', e.open,
    'parts', credit_book_parts(shipment_ids))
  INTO book
  FROM credit_running_exposure(customer, NULL) AS e;

  RETURN book;
END $$;

-- The customer's book as the snapshot sees it, without its lock: the running exposure (its row
-- and the changes not yet folded into it, which only the lock's holder may fold) and the parts.
CREATE FUNCTION credit_book(customer uuid, shipment_ids uuid[]) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'unpaid', (coalesce((SELECT e.released_unpaid FROM credit_exposures e
                         WHERE e.customer_id = customer), 0)
               + coalesce((SELECT sum(c.released_unpaid) FROM credit_exposure_changes c
                           WHERE c.customer_id = customer), 0))::text,
    'open', (coalesce((SELECT e.shipped_or_ready_not_invoiced FROM credit_exposures e
                       WHERE e.customer_id = customer), 0)
             + coalesce((SELECT sum(c.shipped_or_ready_not_invoiced) FROM credit_exposure_changes c
                         WHERE c.customer_id = customer), 0))::text,
    'parts', credit_book_parts(shipment_ids))
$$;

-- Each customer's credit lock, in the order of their ids, held to the commit, and its running
-- exposure read on a snapshot taken after the lock was granted, without this transaction's own
-- changes: its move since the book was read is that exposure less `expected` (the book's total
-- as this transaction read it). A customer whose move is not within (lo, hi] (each bound
-- optional) is named in the answer: a decision on its book could have gone the other way.
-- Called by the statement that writes the decisions (shipments/apply-events.ts): the changes
-- its rows make reach credit_exposure_changes through AFTER triggers, which fire once the
-- statement is done, after this has read; those of earlier statements are told apart by their
-- transaction id (the epoch-less form of txid_current, as xmin carries it) and left out.
CREATE FUNCTION credit_confirm(p_books json) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
  b record;
  own numeric;
  moved numeric;
  named text[] := '{}';
BEGIN
  FOR b IN
    SELECT * FROM json_to_recordset(p_books)
      AS x(customer uuid, expected numeric, lo numeric, hi numeric)
    ORDER BY x.customer
  LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('credit:' || b.customer::text, 0));
    SELECT coalesce(sum(c.released_unpaid + c.shipped_or_ready_not_invoiced), 0) INTO own
    FROM credit_exposure_changes c
    WHERE c.customer_id = b.customer AND c.xmin::text::bigint = txid_current() % 4294967296;
    SELECT e.unpaid::numeric + e.open::numeric - own - b.expected INTO moved
    FROM credit_running_exposure(b.customer, NULL) AS e;
    IF (b.lo IS NOT NULL AND moved <= b.lo) OR (b.hi IS NOT NULL AND moved > b.hi) THEN
      named := named || b.customer::text;
    END IF;
  END LOOP;

  RETURN named;
END $$;
