import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type pg from 'pg';

import { groupCpuMs } from './cpu';

const TICKS_PER_SECOND = 100;
const DELAY_RESOLUTION_MS = 10;

// What the machine and the database were doing during a timed phase: CPU by party (this
// process, which runs the intake and the in-process worker; PostgreSQL; worker processes; the
// whole machine, since other work shares its two cores) and, sampled from pg_stat_activity,
// how many of the run's backends were busy and what the busy ones were waiting for.

export interface CpuShare {
  /** CPU seconds per wall second: 1.0 is one core fully used. */
  bench: number;
  postgres: number | null;
  workerProcesses: number | null;
  machine: number | null;
  cores: number;
}

export interface PhaseSample {
  cpu: CpuShare;
  /** CPU of the bench process, PostgreSQL and the worker processes over the phase, ms. */
  ownCpuMs: number;
  /** Mean count of non-idle backends of this database, by what they wait on ("CPU" = none). */
  backends: Record<string, number>;
  samples: number;
  /**
   * How late this process's event loop ran its timers (ms): the intake and the in-process
   * worker share it, so a long synchronous stretch of one delays the other's next step.
   */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

function machineTicks(): { busy: number; total: number } | null {
  if (!fs.existsSync('/proc/stat')) return null;
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const values = fields.slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, v) => sum + v, 0);

  return { busy: total - idle, total };
}

const cores = () =>
  fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d/.test(l)).length;

/**
 * A postmaster and its children (each backend calls setsid(), so it is no process group), plus
 * the CPU of children it has already reaped.
 */
export function treeCpuMs(root: number): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    if (Number(pid) === root) ticks += own + Number(fields[13]) + Number(fields[14]);
    else if (Number(fields[1]) === root) ticks += own;
  }

  return (ticks * 1000) / TICKS_PER_SECOND;
}

function groupsCpuMs(pgids: number[]): number | null {
  if (pgids.length === 0) return null;

  return pgids.reduce((sum, id) => sum + (groupCpuMs(id) ?? 0), 0);
}

// A backend "idle in transaction" holds its transaction (and locks) while the app computes.
const SAMPLE_SQL = `
  SELECT CASE WHEN state LIKE 'idle in transaction%' THEN 'in transaction, waiting for the app'
              ELSE coalesce(wait_event_type || ':' || wait_event, 'running (CPU)') END AS wait,
         count(*)::int AS n
  FROM pg_stat_activity
  WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()
  GROUP BY 1`;

interface CpuSnapshot {
  wallMs: number;
  bench: NodeJS.CpuUsage;
  postgresMs: number | null;
  workersMs: number | null;
  machine: { busy: number; total: number } | null;
}

type Groups = { postgres?: number; workers: number[] };

function cpuSnapshot(groups: Groups): CpuSnapshot {
  return {
    wallMs: performance.now(),
    bench: process.cpuUsage(),
    postgresMs: groups.postgres ? treeCpuMs(groups.postgres) : null,
    workersMs: groupsCpuMs(groups.workers),
    machine: machineTicks(),
  };
}

function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuShare & { ownMs: number } {
  const wallMs = b.wallMs - a.wallMs;
  const used = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
  const benchMs = (b.bench.user + b.bench.system - a.bench.user - a.bench.system) / 1000;
  const postgresMs = used(a.postgresMs, b.postgresMs);
  const workersMs = used(a.workersMs, b.workersMs);
  const n = cores();
  const machine =
    a.machine && b.machine
      ? ((b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total)) * n
      : null;
  const per = (ms: number | null) => (ms === null ? null : ms / wallMs);

  return {
    bench: benchMs / wallMs,
    postgres: per(postgresMs),
    workerProcesses: per(workersMs),
    machine,
    cores: n,
    ownMs: benchMs + (postgresMs ?? 0) + (workersMs ?? 0),
  };
}

/** Mean count of the database's busy backends by wait, sampled every `everyMs`. */
function waitSampler(pool: pg.Pool, everyMs: number) {
  const totals: Record<string, number> = {};
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    pool
      .query<{ wait: string; n: number }>(SAMPLE_SQL)
      .then(({ rows }) => {
        samples += 1;
        for (const r of rows) totals[r.wait] = (totals[r.wait] ?? 0) + r.n;
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);

  return () => {
    clearInterval(timer);
    const means = Object.entries(totals).map(([k, v]) => [k, samples ? v / samples : 0]);

    return { backends: Object.fromEntries(means) as Record<string, number>, samples };
  };
}

/** Starts sampling; `stop()` answers the phase's figures. */
export function startSampler(pool: pg.Pool, groups: Groups, everyMs = 50) {
  const before = cpuSnapshot(groups);
  const stopWaits = waitSampler(pool, everyMs);
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  delay.enable();

  return (): PhaseSample => {
    const waits = stopWaits();
    delay.disable();
    const { ownMs, ...cpu } = cpuBetween(before, cpuSnapshot(groups));
    // The histogram holds whole timer intervals: the resolution itself, then any lateness.
    const ms = (ns: number) => Math.max(0, Math.round(ns / 1e5 - DELAY_RESOLUTION_MS * 10) / 10);
    const eventLoopDelayMs = {
      p50: ms(delay.percentile(50)),
      p99: ms(delay.percentile(99)),
      max: ms(delay.max),
    };

    return { cpu, ownCpuMs: ownMs, ...waits, eventLoopDelayMs };
  };
}
