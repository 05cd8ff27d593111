-- Batch jobs (array payloads under one key, jobs/batch-jobs.ts) are capped: graphile-worker
-- rewrites a pending job's whole payload for every item added to it, so a batch that grew with
-- a backlog made each add slower and each job larger. A pending batch at the cap is sealed
-- (its key released: it runs as it is) and the next items gather in a new job of the key.
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
  FOR pass IN 1..10 LOOP
    IF coalesce(array_length(pending, 1), 0) = 0 THEN
      RETURN total;
    END IF;
    UPDATE graphile_worker._private_jobs AS j SET key = NULL, updated_at = now()
    FROM unnest(pending) AS p
    WHERE p.job_key IS NOT NULL AND json_typeof(p.payload) = 'array'
      AND j.key = p.job_key AND j.locked_at IS NULL
      AND json_typeof(j.payload) = 'array'
      AND json_array_length(j.payload) + json_array_length(p.payload) > batch_cap;
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
