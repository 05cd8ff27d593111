// The event types partners may subscribe to. The list is explicit and versioned: a topic's
// `version` is the schema version of its `data`, raised (with a new topic name when the change
// breaks receivers) rather than changed in place; CATALOG_VERSION counts changes to the list.
// The shipment and exception topics are written into the outbox by database triggers in the
// transaction of the change (migration 20261204010401_webhook_event_triggers), only while a live
// subscription wants them; the shipment record by publish-shipment-record.ts.

export const CATALOG_VERSION = 1;

export interface TopicEntry {
  topic: string;
  version: number;
  label: string;
  description: string;
}

export const ERP_RECORD_TOPIC = 'erp.shipment-record';

export const WEBHOOK_TOPICS = [
  {
    topic: ERP_RECORD_TOPIC,
    version: 1,
    label: 'Shipment record (ERP)',
    description:
      "The ERP's full view of a shipment, sent when it becomes READY and each time its record " +
      'changes after that (slotted, booked); `sequence` orders the records of one shipment.',
  },
  ...(
    [
      ['shipment.ready', 'Shipment ready', 'passed the readiness gate'],
      ['shipment.held', 'Shipment held', 'was held by the readiness gate (its open holds listed)'],
      ['shipment.departed', 'Shipment departed', 'left the site'],
      ['shipment.delivered', 'Shipment delivered', 'was delivered'],
      ['shipment.pod-received', 'Proof of delivery', 'has its proof of delivery'],
    ] as const
  ).map(([topic, label, what]) => ({
    topic,
    version: 1,
    label,
    description:
      `The shipment ${what}: its refs, site and customer codes, status and previous status, ` +
      'milestones and open holds, at the moment its status changed.',
  })),
  {
    topic: 'exception.opened',
    version: 1,
    label: 'Exception opened',
    description:
      'An exception was opened: its type, severity, owning team, title, shipment and site, and ' +
      'its resolution due time.',
  },
  {
    topic: 'exception.resolved',
    version: 1,
    label: 'Exception resolved',
    description: 'An exception was resolved, with its resolution code and time.',
  },
] as const satisfies readonly TopicEntry[];

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number]['topic'];

const BY_TOPIC = new Map<string, TopicEntry>(WEBHOOK_TOPICS.map((t) => [t.topic, t]));

export function topicEntry(topic: string): TopicEntry | undefined {
  return BY_TOPIC.get(topic);
}

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return BY_TOPIC.has(topic);
}
