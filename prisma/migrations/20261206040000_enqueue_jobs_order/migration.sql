-- enqueue_jobs again, with two faults of the batch jobs fixed:
-- * add_jobs releases the key of a job a worker holds by also spending its attempts (the new job
--   carries the same work, for a job of one item). A running batch holds other items than the
--   ones added: it would have lost its retries, and its items with them, had it failed or its
--   worker died. The key of a held batch is released here first, its attempts left alone.
-- * Sealing a full batch locked it before add_jobs took the batches in the caller's key order,
--   so two enqueues could deadlock. Every key is now locked first, in one global order (an
--   advisory lock per key, sorted), before anything of the call is written.
SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION enqueue_jobs(specs json) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  pending graphile_worker.job_spec[];
  added text[];
  n int;
  total int := 0;
  batch_cap constant int := 64;
BEGIN
  pending := array(SELECT json_populate_record(null::graphile_worker.job_spec, s)
                   FROM json_array_elements(specs) AS s);
  PERFORM pg_advisory_xact_lock(hashtextextended('job-key:' || k.key, 0))
  FROM (SELECT DISTINCT p.job_key AS key FROM unnest(pending) AS p
        WHERE p.job_key IS NOT NULL ORDER BY 1) AS k;
  FOR pass IN 1..10 LOOP
    IF coalesce(array_length(pending, 1), 0) = 0 THEN
      RETURN total;
    END IF;
    -- A batch a worker holds keeps its attempts; a pending one at the cap is sealed.
    UPDATE graphile_worker._private_jobs AS j SET key = NULL, updated_at = now()
    FROM unnest(pending) AS p
    WHERE p.job_key IS NOT NULL AND json_typeof(p.payload) = 'array'
      AND j.key = p.job_key AND json_typeof(j.payload) = 'array'
      AND (j.locked_at IS NOT NULL
           OR json_array_length(j.payload) + json_array_length(p.payload) > batch_cap);
    SELECT count(*)::int, coalesce(array_agg(j.key) FILTER (WHERE j.key IS NOT NULL), '{}')
      INTO n, added
      FROM graphile_worker.add_jobs(pending) AS j;
    total := total + n;
    -- A keyed job add_jobs left out (a worker took the pending job of its key between its
    -- release of taken keys and its insert) is added again: the next pass releases that key.
    pending := array(SELECT p FROM unnest(pending) AS p
                     WHERE p.job_key IS NOT NULL AND NOT (p.job_key = ANY (added)));
  END LOOP;
  RAISE EXCEPTION 'enqueue_jobs: % job(s) could not be added (keys %)',
    array_length(pending, 1), array(SELECT p.job_key FROM unnest(pending) AS p);
END
$$;
