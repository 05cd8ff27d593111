import type { WireEvent } from './simulate-plan';

// The simulator's side of POST /api/v1/events: batches out, per-item answers tallied. Every
// event is stamped with sentAt at sending, as a real sender does; a retry restamps it.

export const MAX_BATCH = 1000;

export interface Tally {
  requests: number;
  events: number;
  byType: Record<string, number>;
  http: Record<string, number>;
  answers: { accepted: number; duplicate: number; rejected: number; unanswered: number };
  /** "path: reason" of rejected items, counted; reasons carry ids, so only the path is kept. */
  rejectedBy: Record<string, number>;
  networkErrors: number;
  lastError?: string;
}

export function emptyTally(): Tally {
  return {
    requests: 0,
    events: 0,
    byType: {},
    http: {},
    answers: { accepted: 0, duplicate: 0, rejected: 0, unanswered: 0 },
    rejectedBy: {},
    networkErrors: 0,
  };
}

interface ItemAnswer {
  status: 'accepted' | 'duplicate' | 'rejected';
  issues?: { path: string; reason: string }[];
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function countAnswers(tally: Tally, results: ItemAnswer[]): void {
  for (const item of results) {
    tally.answers[item.status] += 1;
    for (const issue of item.issues ?? []) bump(tally.rejectedBy, issue.path || '(event)');
  }
}

export interface Sender {
  url: string;
  authorization: string;
}

/** Posts one batch and tallies what came back; never throws, a failure is counted. */
export async function sendBatch(sender: Sender, events: WireEvent[], tally: Tally): Promise<void> {
  const sentAt = new Date().toISOString();
  const body = JSON.stringify({ events: events.map((e) => ({ ...e, sentAt })) });
  tally.requests += 1;
  tally.events += events.length;
  for (const e of events) bump(tally.byType, e.type);
  try {
    const response = await fetch(`${sender.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: sender.authorization },
      body,
    });
    bump(tally.http, String(response.status));
    const answer = (await response.json().catch(() => null)) as {
      results?: ItemAnswer[];
      reason?: string;
    } | null;
    if (answer?.results) countAnswers(tally, answer.results);
    else {
      tally.answers.unanswered += events.length;
      tally.lastError = `HTTP ${response.status}: ${answer?.reason ?? 'no JSON answer'}`;
    }
  } catch (error) {
    tally.networkErrors += 1;
    tally.answers.unanswered += events.length;
    tally.lastError = (error as Error).message;
  }
}

/** Whether anything answers at `url`, for one clear line instead of a run of failures. */
export async function reachable(url: string): Promise<string | null> {
  try {
    const response = await fetch(`${url}/api/v1/ping`);

    return response.ok ? null : `GET ${url}/api/v1/ping answered ${response.status}`;
  } catch (error) {
    return `no product answers at ${url} (${(error as Error).message})`;
  }
}
