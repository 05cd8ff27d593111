import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';

import { demoKeyPath, Rng } from '../server/seed';
import { logger } from '../server/lib/logger';
import { DATA_DIR } from '../server/lib/runtime';
import { emptyTally, MAX_BATCH, reachable, sendBatch, type Tally } from './lib/simulate-client';
import { FAULTS, planShipment, type Fault, type WireEvent } from './lib/simulate-plan';
import { loadWorld, type World } from './lib/simulate-world';

// `npm run simulate -- --shipments N --rate R [--url URL] [--key KEY] [--step-ms MS] [--seed S]`
// Drives a running product through its public API only, as the demo world's warehouses would:
// R shipments start per second, each sending its events one step (MS, 250 by default) apart,
// with the faults of real floors. Progress goes to the log; the last line on stdout is a JSON
// summary of what was sent and what the product answered.

const log = logger('simulate');
const TICK_MS = 100;
const PROGRESS_MS = 2000;

interface Options {
  shipments: number;
  rate: number;
  url: string;
  key: string;
  stepMs: number;
  seed: number;
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} must be a positive number, got "${raw}"`);

  return value;
}

function readKey(given: string | undefined): string {
  if (given) return given;
  const file = demoKeyPath(DATA_DIR);
  if (!fs.existsSync(file))
    throw new Error(
      `no --key given and no demo key at ${file}: start the product first (npm start)`,
    );

  return fs.readFileSync(file, 'utf8').trim();
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      shipments: { type: 'string' },
      rate: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      'step-ms': { type: 'string' },
      seed: { type: 'string' },
    },
  });

  return {
    shipments: Math.floor(positive('shipments', values.shipments, 100)),
    rate: positive('rate', values.rate, 5),
    url: (values.url ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, ''),
    key: readKey(values.key),
    stepMs: positive('step-ms', values['step-ms'], 250),
    seed: Math.floor(positive('seed', values.seed, Date.now() % 1_000_000_007)),
  };
}

interface Due {
  at: number;
  seq: number;
  event: WireEvent;
}

interface Run {
  options: Options;
  world: World;
  rng: Rng;
  runId: string;
  startedAt: number;
  started: number;
  queue: Due[];
  seq: number;
  faults: Record<Fault, number>;
  tally: Tally;
}

/** Plans every shipment whose start time has come and queues its events by send time. */
function startDue(run: Run, now: number): void {
  const { options } = run;
  while (
    run.started < options.shipments &&
    run.startedAt + (run.started * 1000) / options.rate <= now
  ) {
    const begin = run.startedAt + (run.started * 1000) / options.rate;
    run.started += 1;
    const orderRef = `SIM-${run.runId}-${String(run.started).padStart(6, '0')}`;
    const plan = planShipment(run.rng, run.world, orderRef, now);
    for (const fault of plan.faults) run.faults[fault] += 1;
    for (const { step, event } of plan.events) {
      run.queue.push({ at: begin + step * options.stepMs, seq: run.seq++, event });
    }
  }
}

function takeDue(run: Run, now: number): WireEvent[] {
  const due = run.queue.filter((d) => d.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
  run.queue = run.queue.filter((d) => d.at > now);

  return due.map((d) => d.event);
}

function progress(run: Run): void {
  const { answers } = run.tally;
  log.info(
    { ...answers, started: run.started, events: run.tally.events, queued: run.queue.length },
    `${run.started}/${run.options.shipments} shipments started, ${run.tally.events} events sent`,
  );
}

/** Sends in order, one request at a time, so that only the planned faults arrive out of order. */
async function drive(run: Run): Promise<void> {
  const sender = { url: run.options.url, authorization: `Bearer ${run.options.key}` };
  let lastProgress = Date.now();
  while (run.started < run.options.shipments || run.queue.length > 0) {
    const now = Date.now();
    startDue(run, now);
    const due = takeDue(run, now);
    for (let i = 0; i < due.length; i += MAX_BATCH) {
      await sendBatch(sender, due.slice(i, i + MAX_BATCH), run.tally);
    }
    if (Date.now() - lastProgress >= PROGRESS_MS) {
      progress(run);
      lastProgress = Date.now();
    }
    if (due.length === 0) await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}

function summary(run: Run): string {
  const { options, tally } = run;

  return JSON.stringify({
    simulate: {
      url: options.url,
      shipments: options.shipments,
      rate: options.rate,
      stepMs: options.stepMs,
      seed: options.seed,
      runId: run.runId,
      seconds: Number(((Date.now() - run.startedAt) / 1000).toFixed(1)),
    },
    sent: {
      shipments: run.started,
      events: tally.events,
      requests: tally.requests,
      byType: tally.byType,
      faults: run.faults,
    },
    answered: {
      ...tally.answers,
      http: tally.http,
      rejectedBy: tally.rejectedBy,
      networkErrors: tally.networkErrors,
      ...(tally.lastError && { lastError: tally.lastError }),
    },
  });
}

async function main(): Promise<number> {
  const options = parseOptions();
  const problem = await reachable(options.url);
  if (problem) throw new Error(problem);
  const world = loadWorld();
  const run: Run = {
    options,
    world,
    rng: new Rng(options.seed),
    runId: randomBytes(3).toString('hex').toUpperCase(),
    startedAt: Date.now(),
    started: 0,
    queue: [],
    seq: 0,
    faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
    tally: emptyTally(),
  };
  log.info(
    { url: options.url, sites: world.sites.length, runId: run.runId },
    'simulating the demo world',
  );
  process.once('SIGINT', () => {
    process.stdout.write(`${summary(run)}\n`);
    process.exit(130);
  });
  await drive(run);
  progress(run);
  process.stdout.write(`${summary(run)}\n`);

  return run.tally.networkErrors > 0 || run.tally.answers.unanswered > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log.error((error as Error).message);
    process.exit(2);
  },
);
