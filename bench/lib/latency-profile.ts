import { createPrisma, sqlPoolOf, type Db } from '../../server/db/client';
import { applyShipmentEvents } from '../../server/domain/shipments/apply-events';
import { treeCpuMs } from './latency-sampler';

// Where one apply job's time goes: the product's applyShipmentEvents run one at a time, with no
// worker and nothing else running, on a Prisma client whose pg connections time every
// statement's round trip (from the call to the parsed answer). Statements are labelled by verb
// and table (advisory locks by their key's prefix; a CTE that inserts by its table), and each
// apply is cut into three phases at statements it always issues:
//   replay   from BEGIN to the credit lock (events and the gate's input read, replayed and
//            persisted, approval rules and the planned trip read: all that needs no credit lock);
//   gate     from the credit lock (taken with the exposure read) to the decision's INSERT;
//   after    from the decision's statement (with the branch jobs, the audit row and the
//            shipment's one update; exceptions are synced just before it) to COMMIT's end
//            (holds): with the gate phase, the time the customer's credit lock is held.
// "Prisma + JS" is the wall time with no statement in flight: Prisma's and the domain's own
// JavaScript, spent while the transaction (and its locks) stays open.

export interface Statement {
  label: string;
  startMs: number;
  endMs: number;
}

export interface StatementStat {
  label: string;
  perApply: number;
  msPerApply: number;
}

export interface ApplyProfile {
  applies: number;
  wallMs: { mean: number; p50: number; p95: number };
  statementsPerApply: number;
  wireMsPerApply: number;
  appMsPerApply: number;
  phasesMs: { replay: number; gate: number; after: number };
  top: StatementStat[];
  /** CPU per apply: this process (Prisma, domain code, pg) and PostgreSQL's backends. */
  cpuMsPerApply: { node: number; postgres: number | null };
}

function tableOf(sql: string, verb: string): string {
  const pattern =
    {
      INSERT: /INSERT INTO\s+([\w."]+)/i,
      UPDATE: /UPDATE\s+([\w."]+)/i,
      DELETE: /DELETE FROM\s+([\w."]+)/i,
    }[verb] ?? /\bFROM\s+([\w."]+)/i;
  const match = pattern.exec(sql);

  return (match?.[1] ?? '?').replace(/"/g, '').replace(/^public\./, '');
}

export function labelOf(sql: string, values: unknown[] | undefined): string {
  const text = sql.trim();
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(text)) return text.split(/\s/)[0]!.toUpperCase();
  if (/credit_locked_book/i.test(text)) return 'credit lock + exposure';
  if (/apply_read/i.test(text)) return 'apply locks + state read';
  if (/shipment_apply_facts/i.test(text)) return 'apply state read';
  if (/audit_chain_head/i.test(text)) return 'audit chain lock + head';
  // The branches' locks and reads, one function each (slotting_read, billing_read_together...).
  const read = /\b(\w+_(?:read|capacity)(?:_together)?)\(/i.exec(text);
  if (read) return read[1]!;
  if (/pg_advisory_xact_lock/i.test(text)) {
    const key = typeof values?.[0] === 'string' ? values[0].split(':')[0] : '?';

    return `advisory lock ${key}`;
  }
  // A statement that writes through a CTE (the decision record with its branch jobs, the
  // planned trip) is named by the table it inserts into.
  const written = /^WITH\b[\s\S]*?\bINSERT INTO\s+([\w."]+)/i.exec(text);
  if (written) return `INSERT ${written[1]!.replace(/"/g, '').replace(/^public\./, '')}`;
  const job = /graphile_worker\.(add_jobs?)/i.exec(text);
  if (job) return job[1]!;
  const verb = /^(WITH|SELECT|INSERT|UPDATE|DELETE)/i.exec(text)?.[1]?.toUpperCase() ?? 'OTHER';
  if (verb === 'WITH')
    return `WITH ... ${tableOf(text.replace(/^WITH[\s\S]*?\)\s*SELECT/i, 'SELECT'), 'SELECT')}`;
  if (/FOR UPDATE/i.test(text)) return `SELECT ${tableOf(text, 'SELECT')} FOR UPDATE`;

  return `${verb} ${tableOf(text, verb)}`;
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * The product's Prisma client (its pg pool too, on which the hot paths send their raw statements),
 * whose every statement is appended to `trace`. Its $disconnect ends the pool.
 */
export function tracingDb(url: string): { db: Db; trace: Statement[] } {
  const trace: Statement[] = [];
  const db = createPrisma(url, 4);
  const pool = sqlPoolOf(db)!;
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as QueryFn;
    (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
      const config = args[0] as string | { text: string; values?: unknown[] };
      const sql = typeof config === 'string' ? config : config.text;
      const values = typeof config === 'string' ? (args[1] as unknown[]) : config.values;
      const startMs = performance.now();
      const record = () =>
        trace.push({ label: labelOf(sql, values), startMs, endMs: performance.now() });
      const last = args[args.length - 1];
      // pg.Pool#query passes a callback; a client in a transaction is awaited.
      if (typeof last === 'function') {
        args[args.length - 1] = (...answer: unknown[]) => {
          record();
          (last as QueryFn)(...answer);
        };
      }
      const result = original(...args);
      if (result instanceof Promise) result.then(record, record);

      return result;
    };
  });

  return { db, trace };
}

/** Time with at least one statement in flight (the gate reads some of its input in parallel). */
export function unionMs(statements: Statement[]): number {
  const sorted = [...statements].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let end = -Infinity;
  for (const s of sorted) {
    if (s.endMs <= end) continue;
    total += s.endMs - Math.max(s.startMs, end);
    end = s.endMs;
  }

  return total;
}

function phasesOf(statements: Statement[], startMs: number, endMs: number) {
  const at = (label: string) => statements.find((s) => s.label === label);
  const credit = at('credit lock + exposure')?.startMs ?? endMs;
  const decision = at('INSERT readiness_decisions')?.startMs ?? endMs;

  return { replay: credit - startMs, gate: decision - credit, after: endMs - decision };
}

function summarise(
  runs: { wallMs: number; statements: Statement[]; phases: ApplyProfile['phasesMs'] }[],
): Omit<ApplyProfile, 'cpuMsPerApply'> {
  const n = runs.length;
  const byLabel = new Map<string, { count: number; ms: number }>();
  for (const s of runs.flatMap((r) => r.statements)) {
    const stat = byLabel.get(s.label) ?? { count: 0, ms: 0 };
    stat.count += 1;
    stat.ms += s.endMs - s.startMs;
    byLabel.set(s.label, stat);
  }

  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const mean = (f: (r: (typeof runs)[number]) => number) =>
    runs.reduce((sum, r) => sum + f(r), 0) / n;
  const wireMs = mean((r) => unionMs(r.statements));
  const top = [...byLabel.entries()]
    .map(([label, s]) => ({ label, perApply: s.count / n, msPerApply: s.ms / n }))
    .sort((a, b) => b.msPerApply - a.msPerApply);

  return {
    applies: n,
    wallMs: {
      mean: mean((r) => r.wallMs),
      p50: walls[Math.floor(n / 2)]!,
      p95: walls[Math.min(n - 1, Math.ceil(n * 0.95) - 1)]!,
    },
    statementsPerApply: runs.reduce((sum, r) => sum + r.statements.length, 0) / n,
    wireMsPerApply: wireMs,
    appMsPerApply: mean((r) => r.wallMs) - wireMs,
    phasesMs: {
      replay: mean((r) => r.phases.replay),
      gate: mean((r) => r.phases.gate),
      after: mean((r) => r.phases.after),
    },
    top,
  };
}

export interface TracedRun {
  wallMs: number;
  startMs: number;
  endMs: number;
  statements: Statement[];
}

/** Runs each piece of work in turn, with the statements each issued. */
export async function traceRuns(
  trace: Statement[],
  work: (() => Promise<unknown>)[],
): Promise<TracedRun[]> {
  const runs: TracedRun[] = [];
  for (const run of work) {
    const first = trace.length;
    const startMs = performance.now();
    await run();
    const endMs = performance.now();
    runs.push({ wallMs: endMs - startMs, startMs, endMs, statements: trace.slice(first) });
  }

  return runs;
}

/** Applies each reference's events once, one at a time, and answers where the time went. */
export async function profileApplies(
  url: string,
  refs: string[],
  postgresPid?: number,
): Promise<ApplyProfile> {
  const { db, trace } = tracingDb(url);
  try {
    await db.$queryRaw`SELECT 1`; // warm-up: a connection and the client's first query plan
    const node0 = process.cpuUsage();
    const pg0 = postgresPid ? treeCpuMs(postgresPid) : null;
    const runs = await traceRuns(
      trace,
      refs.map((ref) => () => applyShipmentEvents(db, ref)),
    );
    const node = process.cpuUsage(node0);
    const pg1 = postgresPid ? treeCpuMs(postgresPid) : null;
    const cpu = {
      node: (node.user + node.system) / 1000 / refs.length,
      postgres: pg0 === null || pg1 === null ? null : (pg1 - pg0) / refs.length,
    };

    return {
      ...summarise(runs.map((r) => ({ ...r, phases: phasesOf(r.statements, r.startMs, r.endMs) }))),
      cpuMsPerApply: cpu,
    };
  } finally {
    await db.$disconnect();
  }
}
