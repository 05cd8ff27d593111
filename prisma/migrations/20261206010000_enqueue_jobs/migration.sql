-- One way to enqueue jobs from SQL: graphile_worker.add_jobs, and again for any keyed job it
-- left out. add_jobs first releases the key of a job a worker holds, then inserts or merges
-- into the pending job of the key; a worker that takes that pending job between the two steps
-- makes the insert conflict with a locked job, which add_jobs skips without a word: the work
-- would be lost. The specs it did not return are added again, and the second pass releases the
-- key of the now-taken job. Specs are graphile_worker.job_spec records as JSON; a key appears
-- at most once per call (merge array payloads first). Answers the number of jobs added.
-- graphile-worker creates its schema after these migrations on a fresh database, so the body
-- is checked when it first runs.
SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION enqueue_jobs(specs json) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  pending graphile_worker.job_spec[];
  added text[];
  n int;
  total int := 0;
BEGIN
  pending := array(SELECT json_populate_record(null::graphile_worker.job_spec, s)
                   FROM json_array_elements(specs) AS s);
  FOR pass IN 1..10 LOOP
    IF coalesce(array_length(pending, 1), 0) = 0 THEN
      RETURN total;
    END IF;
    SELECT count(*)::int, coalesce(array_agg(j.key) FILTER (WHERE j.key IS NOT NULL), '{}')
      INTO n, added
      FROM graphile_worker.add_jobs(pending) AS j;
    total := total + n;
    pending := array(SELECT p FROM unnest(pending) AS p
                     WHERE p.job_key IS NOT NULL AND NOT (p.job_key = ANY (added)));
  END LOOP;
  RAISE EXCEPTION 'enqueue_jobs: % job(s) could not be added (keys %)',
    array_length(pending, 1), array(SELECT p.job_key FROM unnest(pending) AS p);
END
$$;
