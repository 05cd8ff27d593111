-- One way to enqueue jobs from SQL: graphile_worker.add_jobs, with three things it does not do.
-- * A keyed job it left out is added again. add_jobs first releases the keys of jobs workers
--   hold, then inserts or merges into the pending job of each key; a worker that takes that
--   pending job between the two steps makes the insert meet a locked job, which add_jobs skips
--   without a word: the work would be lost. The next pass releases that key.
-- * Batch jobs (array payloads under one key, jobs/batch-jobs.ts) keep their retries. add_jobs
--   releases the key of a held job by also spending its attempts (the new job carries the same
--   work, for a job of one item); a running batch holds other items than the ones added, and
--   would lose them if it failed or its worker died. The key of a held batch is released here,
--   its attempts left alone.
-- * Batches are capped: each item added rewrites a pending batch's whole payload, so a batch
--   that grew with a backlog made each add slower. A pending batch at the cap is sealed (its key
--   released: it runs as it is) and the next items gather in a new job of the key.
-- Every key of a call is locked first, in one global order (an advisory lock per key, sorted),
-- so that two calls cannot deadlock on the jobs they seal and extend. Specs are
-- graphile_worker.job_spec records as JSON, a key at most once per call (merge array payloads
-- first). Answers the number of jobs added. graphile-worker creates its schema after these
-- migrations on a fresh database, so the body is checked when it first runs.
SET LOCAL check_function_bodies = off;

CREATE FUNCTION enqueue_jobs(specs json) RETURNS int
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
