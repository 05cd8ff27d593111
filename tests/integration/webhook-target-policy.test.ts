import { randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../server/db/client';
import { deliverOutbox } from '../../server/domain/integration/deliver-outbox';
import { ERP_RECORD_TOPIC } from '../../server/domain/integration/publish-shipment-record';
import { attemptDelivery } from '../../server/domain/integration/webhooks/deliver-webhook';
import {
  createSubscriptionInput,
  type CreateSubscriptionInput,
} from '../../server/domain/integration/webhooks/schema';
import { createSubscription } from '../../server/domain/integration/webhooks/subscriptions';
import {
  ALLOWED_HOSTS_ENV,
  addressRefusal,
  guardedLookup,
  parseAllowList,
  targetRefusal,
} from '../../server/domain/integration/webhooks/target-policy';
import { createMigratedDatabase, dropDatabase } from '../setup/test-database';

// Webhooks are never sent into the product's own network (SSRF): the address policy on every
// range it refuses, the check at subscription create for addresses and for names, and on every
// attempt at the address actually connected to, against real receivers on this machine that
// must see no connection at all; and the allow-list that lets a named internal receiver through.
// Names that should resolve to a private address are answered by a stand-in resolver: nothing
// here sends a packet anywhere but to loopback.

const NONE = parseAllowList('');

describe('the address policy', () => {
  it.each([
    ['127.0.0.1', 'is in the loopback range'],
    ['127.255.0.9', 'is in the loopback range'],
    ['::1', 'is in the loopback range'],
    ['10.0.0.5', 'is in a private range'],
    ['172.16.4.1', 'is in a private range'],
    ['172.31.255.254', 'is in a private range'],
    ['192.168.1.20', 'is in a private range'],
    ['fc00::1', 'is in a private range (unique local fc00::/7)'],
    ['fd12:3456::1', 'is in a private range (unique local fc00::/7)'],
    ['169.254.169.254', 'is in the link-local range (where cloud metadata services answer)'],
    ['169.254.0.1', 'is in the link-local range'],
    ['fe80::1', 'is in the link-local range'],
    ['100.64.0.1', 'is in the carrier-grade NAT range 100.64.0.0/10'],
    ['100.127.255.254', 'is in the carrier-grade NAT range'],
    ['0.0.0.0', 'is in the unspecified range'],
    ['::', 'is in the unspecified range'],
    ['224.0.0.1', 'is in a multicast range'],
    ['239.255.255.250', 'is in a multicast range'],
    ['ff02::1', 'is in a multicast range'],
    ['255.255.255.255', 'is the broadcast address'],
    ['240.0.0.1', 'is in the special-purpose range "reserved"'],
    ['64:ff9b::a00:5', 'is in the special-purpose range "rfc6052"'],
    ['2002:a00:5::1', 'is in the special-purpose range "6to4"'],
    ['::a00:5', 'is an IPv4-compatible IPv6 address'],
  ])('refuses %s: %s', (address, reason) => {
    expect(addressRefusal(address, 443, address, NONE)).toContain(`address ${address} ${reason}`);
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.5', '10.0.0.5', 'a private range'],
    ['::ffff:a9fe:a9fe', '169.254.169.254', 'link-local'],
    ['::ffff:100.64.0.1', '100.64.0.1', 'carrier-grade NAT'],
  ])('refuses IPv4-mapped %s as the %s it carries', (address, v4, reason) => {
    const refusal = addressRefusal(address, 443, address, NONE);

    expect(refusal).toContain(`(IPv4-mapped ${v4})`);
    expect(refusal).toContain(reason);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::6810:85e5', '::ffff:93.184.216.34'])(
    'lets global unicast %s through',
    (address) => {
      expect(addressRefusal(address, 443, address, NONE)).toBeNull();
    },
  );

  it('refuses literal addresses in URLs, in every form the URL parser normalises', async () => {
    for (const [url, shown] of [
      ['http://10.0.0.5/hooks', '10.0.0.5 is in a private range'],
      ['http://167772165/hooks', '10.0.0.5 is in a private range'],
      ['http://0x7f.1:8080/', '127.0.0.1 is in the loopback range'],
      ['https://[::1]/', '::1 is in the loopback range'],
      ['https://[::ffff:10.0.0.5]/', '(IPv4-mapped 10.0.0.5) is in a private range'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is in the link-local'],
    ] as const) {
      expect(await targetRefusal(url, { allow: NONE })).toContain(shown);
    }
  });

  it('reads the allow-list: names, names and IPs with a port, CIDRs, bracketed IPv6', () => {
    const allow = parseAllowList(
      'erp.internal, hooks.corp.example:8443, 10.1.2.3, 127.0.0.1:3000, 10.20.0.0/16, [fd00::5]:443',
    );

    expect(addressRefusal('10.9.9.9', 80, 'erp.internal', allow)).toBeNull();
    expect(addressRefusal('10.9.9.9', 8443, 'hooks.corp.example', allow)).toBeNull();
    expect(addressRefusal('10.9.9.9', 443, 'hooks.corp.example', allow)).toContain('private');
    expect(addressRefusal('10.1.2.3', 9999, '10.1.2.3', allow)).toBeNull();
    expect(addressRefusal('127.0.0.1', 3000, '127.0.0.1', allow)).toBeNull();
    expect(addressRefusal('127.0.0.1', 3001, '127.0.0.1', allow)).toContain('loopback');
    expect(addressRefusal('::ffff:127.0.0.1', 3000, 'localhost', allow)).toBeNull();
    expect(addressRefusal('10.20.200.1', 80, 'other.internal', allow)).toBeNull();
    expect(addressRefusal('10.21.0.1', 80, 'other.internal', allow)).toContain(
      'address 10.21.0.1 of other.internal is in a private range',
    );
    expect(addressRefusal('fd00::5', 443, 'fd00::5', allow)).toBeNull();
    expect(addressRefusal('fd00::5', 80, 'fd00::5', allow)).toContain('private');
  });

  it('refuses to read an allow-list entry it does not understand', () => {
    expect(() => parseAllowList('erp.internal, not a host')).toThrow(
      /WEBHOOK_ALLOWED_HOSTS: "not a host" is not a host name/,
    );
    expect(() => parseAllowList('10.0.0.0/33')).toThrow(/is no CIDR/);
    expect(() => parseAllowList('erp.internal:99999')).toThrow(/no valid port/);
  });
});

/** A stand-in resolver for names this machine's DNS cannot be made to answer. */
function answering(addresses: string[]) {
  const found: LookupAddress[] = addresses.map((address) => ({
    address,
    family: address.includes(':') ? 6 : 4,
  }));

  return {
    resolve: async () => found,
    lookup: (
      _host: string,
      _options: unknown,
      done: (error: NodeJS.ErrnoException | null, a: LookupAddress[]) => void,
    ) => done(null, found),
  };
}

function lookupThrough(addresses: string[], allow = NONE, hostname = 'erp.partner.example') {
  const lookup = guardedLookup(443, answering(addresses).lookup, () => allow);

  return new Promise<{ error: Error | null; addresses: unknown }>((resolve) =>
    lookup(hostname, { all: true }, (error, found) => resolve({ error, addresses: found })),
  );
}

describe("a connection's lookup", () => {
  it('hands the connection the addresses it checked', async () => {
    const { error, addresses } = await lookupThrough(['93.184.216.34', '2606:4700::6810:85e5']);

    expect(error).toBeNull();
    expect(addresses).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::6810:85e5', family: 6 },
    ]);
  });

  it('refuses a name that resolves to a private address, and a mixed answer whole', async () => {
    expect((await lookupThrough(['10.0.0.5'])).error?.message).toBe(
      'address 10.0.0.5 of erp.partner.example is in a private range; refused',
    );
    expect((await lookupThrough(['93.184.216.34', '169.254.169.254'])).error?.message).toMatch(
      /address 169\.254\.169\.254 of erp\.partner\.example is in the link-local range/,
    );
  });

  it('lets a name the allow-list trusts through to its internal address', async () => {
    const allow = parseAllowList('erp.partner.example');

    expect((await lookupThrough(['10.0.0.5'], allow)).error).toBeNull();
  });
});

let url = '';
let db: Db;
let partnerId = '';
const admin = { userId: randomUUID(), requestId: 'test' };
const configured = process.env[ALLOWED_HOSTS_ENV];

beforeAll(async () => {
  url = await createMigratedDatabase(process.env.CT_ADMIN_DATABASE_URL!, 'ct_webhook_targets');
  db = createPrisma(url, 4);
  partnerId = (
    await db.partner.create({
      data: { code: `ERP-${randomUUID().slice(0, 6)}`, name: 'ERP', kind: 'ERP' },
    })
  ).id;
});

afterEach(() => {
  if (configured === undefined) delete process.env[ALLOWED_HOSTS_ENV];
  else process.env[ALLOWED_HOSTS_ENV] = configured;
});

afterAll(async () => {
  await db.$disconnect();
  await dropDatabase(process.env.CT_ADMIN_DATABASE_URL!, url);
});

function subscriptionInput(target: string, maxAttempts = 10): CreateSubscriptionInput {
  return {
    partnerId,
    name: `ERP ${randomUUID().slice(0, 8)}`,
    url: target,
    topics: [ERP_RECORD_TOPIC],
    maxAttempts,
    timeoutMs: 5_000,
  };
}

describe('a subscription is refused at create', () => {
  it.each([
    ['http://10.0.0.5/hooks', 'address 10.0.0.5 is in a private range'],
    ['http://169.254.169.254/latest/', 'address 169.254.169.254 is in the link-local range'],
    ['https://[::ffff:127.0.0.1]:8443/', '(IPv4-mapped 127.0.0.1) is in the loopback range'],
    ['http://100.64.1.1/', 'is in the carrier-grade NAT range'],
  ])('for the literal address of %s, by the form and by the service', async (target, reason) => {
    const parsed = createSubscriptionInput.safeParse(subscriptionInput(target));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['url'], message: expect.stringContaining(reason) }),
    ]);

    await expect(createSubscription(db, admin, subscriptionInput(target))).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining(reason),
    });
  });

  it('answers a string that is no URL with the format error, not an exception', () => {
    const parsed = createSubscriptionInput.safeParse(subscriptionInput('not a url'));

    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['An http:// or https:// URL']);
  });

  it('for a host name that resolves to a private address', async () => {
    const refused = createSubscription(
      db,
      admin,
      subscriptionInput('https://erp.partner.example/hooks'),
      { resolve: answering(['10.0.0.5']).resolve },
    );

    await expect(refused).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining(
        'address 10.0.0.5 of erp.partner.example is in a private range',
      ),
    });
    await expect(refused).rejects.toThrow(/WEBHOOK_ALLOWED_HOSTS/);
  });

  it('for localhost, as this machine resolves it', async () => {
    await expect(
      createSubscription(db, admin, subscriptionInput('http://localhost:8080/hooks')),
    ).rejects.toThrow(/address 127\.0\.0\.1 of localhost is in the loopback range/);
  });

  it('but not for a name that resolves to public addresses only', async () => {
    const created = await createSubscription(
      db,
      admin,
      subscriptionInput('https://erp.partner.example/hooks'),
      { resolve: answering(['93.184.216.34']).resolve },
    );

    expect(created.id).toBeTruthy();
  });
});

/** A receiver on loopback that counts every TCP connection made to it, answered or not. */
async function countingReceiver() {
  let connections = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => res.writeHead(200).end('{"ok":true}'));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function dispatchedTo(subscriptionId: string) {
  const id = randomUUID();
  await db.outboxMessage.create({
    data: { id, topic: ERP_RECORD_TOPIC, aggregateId: randomUUID(), payload: { sequence: 1 } },
  });
  await deliverOutbox(db, id);

  return db.webhookDelivery.findFirstOrThrow({ where: { messageId: id, subscriptionId } });
}

describe('every attempt', () => {
  let receiver: Awaited<ReturnType<typeof countingReceiver>>;

  beforeAll(async () => {
    receiver = await countingReceiver();
  });

  afterAll(async () => {
    await receiver.close();
  });

  // Created while the deployment allowed the receiver, then run without that allowance: the
  // attempt is refused by itself, as it would be for a name whose answer changed since create.
  async function subscribedWhileAllowed(target: string, entry: string, maxAttempts: number) {
    process.env[ALLOWED_HOSTS_ENV] = entry;
    const subscription = await createSubscription(
      db,
      admin,
      subscriptionInput(target, maxAttempts),
    );
    delete process.env[ALLOWED_HOSTS_ENV];

    return subscription;
  }

  it.each([
    ['a literal address', (port: number) => `http://127.0.0.1:${port}/hooks`, '127.0.0.1:'],
    ['a resolved name', (port: number) => `http://localhost:${port}/hooks`, 'localhost:'],
  ])(
    'to %s in a refused range is a failed attempt, retried, then a dead letter, and never connects',
    async (_kind, target, entry) => {
      const subscription = await subscribedWhileAllowed(
        target(receiver.port),
        `${entry}${receiver.port}`,
        2,
      );
      const delivery = await dispatchedTo(subscription.id);

      const first = await attemptDelivery(db, delivery.id);
      const second = await attemptDelivery(db, delivery.id);

      expect(first).toMatchObject({
        status: 'retry_scheduled',
        result: { outcome: 'NETWORK_ERROR', statusCode: null },
      });
      expect(second).toMatchObject({ status: 'dead', attempt: 2 });
      const row = await db.webhookDelivery.findUniqueOrThrow({
        where: { id: delivery.id },
        include: { attemptLog: { orderBy: { number: 'asc' } } },
      });
      const excerpt =
        entry === 'localhost:'
          ? 'address 127.0.0.1 of localhost is in the loopback range; refused'
          : 'address 127.0.0.1 is in the loopback range; refused';
      expect(row).toMatchObject({ status: 'DEAD', lastError: excerpt });
      expect(row.attemptLog.map((a) => [a.outcome, a.errorExcerpt])).toEqual([
        ['NETWORK_ERROR', excerpt],
        ['NETWORK_ERROR', excerpt],
      ]);
      expect(receiver.connections).toBe(0);
    },
  );

  it('to a receiver the allow-list names goes through, and only to that port', async () => {
    const other = await countingReceiver();
    try {
      process.env[ALLOWED_HOSTS_ENV] = `localhost:${receiver.port}`;
      const allowed = await createSubscription(
        db,
        admin,
        subscriptionInput(`http://localhost:${receiver.port}/hooks`),
      );
      await expect(
        createSubscription(db, admin, subscriptionInput(`http://localhost:${other.port}/hooks`)),
      ).rejects.toThrow(/address 127\.0\.0\.1 of localhost is in the loopback range/);

      const outcome = await attemptDelivery(db, (await dispatchedTo(allowed.id)).id);

      expect(outcome).toMatchObject({ status: 'delivered', statusCode: 200 });
      expect(receiver.requests).toBe(1);
      expect(other.connections).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('to an allowed IP and port goes through, the same address on another port does not', async () => {
    const other = await countingReceiver();
    try {
      process.env[ALLOWED_HOSTS_ENV] = `127.0.0.1:${other.port}`;
      const allowed = await createSubscription(
        db,
        admin,
        subscriptionInput(`http://127.0.0.1:${other.port}/hooks`),
      );

      const outcome = await attemptDelivery(db, (await dispatchedTo(allowed.id)).id);

      expect(outcome).toMatchObject({ status: 'delivered' });
      expect(other.requests).toBe(1);
      await expect(
        createSubscription(db, admin, subscriptionInput(`http://127.0.0.1:${receiver.port}/`)),
      ).rejects.toThrow(/loopback/);
    } finally {
      await other.close();
    }
  });
});
