import type { Db } from '../../db/client';
import { logger } from '../../lib/logger';

// Whether anybody waits for a lock a prepared chunk holds. A sweep ahead (sweep.ts) holds its
// exceptions' row locks from its claim to its commit at the due moment; a person's change of one
// of them (an acknowledgement, a resolve) or a calendar's recalculation then waits on the lock.
// The sweep gives way: told here that one of its chunks is in somebody's way, it rolls the chunk
// back, so that the change goes through at once, as of its own time, and the timers it leaves
// fire through the sweep's next claim. One poll for all of a sweep's chunks, on a connection of
// the sweep's pool: pg_stat_activity is read without the lock manager, and pg_blocking_pids
// (which takes it) is asked only of the backends that wait for a heavyweight lock (row locks are
// waited for as transaction or tuple locks, both of that kind).

const log = logger('sla-lock-watch');

const POLL_MS = 15;

export interface Watched {
  /** Resolves once some other backend waits for a lock this one holds. */
  readonly inTheWay: Promise<void>;
  readonly isInTheWay: () => boolean;
  /** Stops watching the backend (before its commit). */
  done(): void;
}

export interface LockWatch {
  watch(pid: number): Watched;
  stop(): void;
}

export function lockWatch(db: Db, pollMs = POLL_MS): LockWatch {
  const watched = new Map<number, () => void>();
  let timer: NodeJS.Timeout | null = null;
  let polling = false;
  let stopped = false;

  const poll = async () => {
    timer = null;
    const pids = [...watched.keys()];
    if (pids.length === 0 || stopped) return;
    polling = true;
    try {
      // OFFSET 0 keeps pg_blocking_pids to the backends that wait for a lock.
      const rows = await db.$queryRaw<{ pid: number }[]>`
        SELECT DISTINCT b.pid
        FROM (SELECT pid FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND pid <> ALL(${pids}::int[]) OFFSET 0) AS w,
          unnest(pg_blocking_pids(w.pid)) AS b(pid)
        WHERE b.pid = ANY(${pids}::int[])`;
      for (const { pid } of rows) watched.get(pid)?.();
    } catch (error) {
      log.warn({ err: error }, 'could not look for waiters');
    }
    polling = false;
    schedule();
  };

  const schedule = () => {
    if (!stopped && !polling && timer === null && watched.size > 0) {
      timer = setTimeout(() => void poll(), pollMs);
    }
  };

  return {
    watch(pid) {
      let inTheWay = false;
      let tell!: () => void;
      const promise = new Promise<void>((resolve) => (tell = resolve));
      watched.set(pid, () => {
        inTheWay = true;
        tell();
      });
      schedule();

      return {
        inTheWay: promise,
        isInTheWay: () => inTheWay,
        done: () => void watched.delete(pid),
      };
    },
    stop() {
      stopped = true;
      watched.clear();
      if (timer) clearTimeout(timer);
    },
  };
}
