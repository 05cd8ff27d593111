-- enqueue_jobs' release of held and full batches, by the jobs' key index and only when the
-- call adds keyed batches: its join of the specs to the jobs table was planned as a scan of the
-- whole table, in every call (the decisions' unkeyed branch jobs among them), at a cost that
-- grew with the queue's backlog. Otherwise as before (20261206010000_enqueue_jobs).
SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION enqueue_jobs(specs json) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  pending graphile_worker.job_spec[];
  added text[];
  batch_keys text[];
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
    -- By the key index, and only for keyed batches: joined to the specs, the planner took
    -- the whole jobs table, a scan that grew with the queue.
    batch_keys := array(SELECT p.job_key FROM unnest(pending) AS p
                        WHERE p.job_key IS NOT NULL AND json_typeof(p.payload) = 'array');
    IF cardinality(batch_keys) > 0 THEN
      UPDATE graphile_worker._private_jobs AS j SET key = NULL, updated_at = now()
      FROM unnest(pending) AS p
      WHERE j.key = ANY (batch_keys) AND j.key = p.job_key
        AND json_typeof(p.payload) = 'array' AND json_typeof(j.payload) = 'array'
        AND (j.locked_at IS NOT NULL
             OR json_array_length(j.payload) + json_array_length(p.payload) > batch_cap);
    END IF;
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
