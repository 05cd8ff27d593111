// The event types partners may subscribe to. The list is explicit and versioned: a topic's
// `version` is the schema version of its `data`, raised (with a new topic name when the change
// breaks receivers) rather than changed in place; CATALOG_VERSION counts changes to the list.

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
] as const satisfies readonly TopicEntry[];

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number]['topic'];

const BY_TOPIC = new Map<string, TopicEntry>(WEBHOOK_TOPICS.map((t) => [t.topic, t]));

export function topicEntry(topic: string): TopicEntry | undefined {
  return BY_TOPIC.get(topic);
}

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return BY_TOPIC.has(topic);
}
