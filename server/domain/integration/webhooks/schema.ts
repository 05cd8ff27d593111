import { z } from 'zod';
import { isWebhookTopic } from './catalog';
import { literalRefusal } from './target-policy';

// Inputs of the webhook admin, validated at the tRPC edge and trusted by the services.

const topic = z.string().refine(isWebhookTopic, { message: 'Unknown event type' });

/**
 * http(s) only, and no credentials in the URL: they would show in every list and log. An IP
 * address the target policy refuses is answered here; a host name's addresses are checked by
 * createSubscription, which resolves it.
 */
const targetUrl = z
  .url({ protocol: /^https?$/, message: 'An http:// or https:// URL' })
  .max(2_000)
  // Refinements run after a failed format check too: a string that is no URL stops at it.
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
    message: 'Put no user name or password in the URL',
  })
  .superRefine((u, ctx) => {
    const refusal = URL.canParse(u) ? literalRefusal(new URL(u)) : null;
    if (refusal) ctx.addIssue({ code: 'custom', message: refusedTargetMessage(refusal) });
  });

/** What an admin reads when a target is refused: the reason, and the way out for a real one. */
export function refusedTargetMessage(refusal: string): string {
  return `Refused target: ${refusal}. Webhooks are not sent into the product's own network unless WEBHOOK_ALLOWED_HOSTS names the receiver`;
}

export const createSubscriptionInput = z.object({
  partnerId: z.uuid(),
  name: z.string().trim().min(1, 'A name is required').max(120),
  url: targetUrl,
  topics: z.array(topic).min(1, 'Pick at least one event type').max(50),
  maxAttempts: z.number().int().min(1).max(25).default(10),
  timeoutMs: z.number().int().min(1_000).max(30_000).default(10_000),
});
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionInput>;

export const subscriptionIdInput = z.object({ id: z.uuid() });

export const deliveryFilterInput = z.object({
  status: z.enum(['PENDING', 'DELIVERED', 'DEAD', 'CANCELLED']).optional(),
  subscriptionId: z.uuid().optional(),
  topic: z.string().max(100).optional(),
  /** The last row of the previous page (created_at, id order). */
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type DeliveryFilter = z.infer<typeof deliveryFilterInput>;

export const replayInput = z.object({ ids: z.array(z.uuid()).min(1).max(500) });

export const deliveryIdInput = z.object({ id: z.uuid() });
