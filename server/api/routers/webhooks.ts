import { replayDeliveries } from '../../domain/integration/webhooks/replay';
import {
  deliveryAttempts,
  listDeliveries,
  listPartners,
  listSubscriptions,
  listTopics,
  subscriptionNames,
} from '../../domain/integration/webhooks/reads';
import {
  createSubscriptionInput,
  deliveryFilterInput,
  deliveryIdInput,
  replayInput,
  subscriptionIdInput,
} from '../../domain/integration/webhooks/schema';
import {
  createSubscription,
  deleteSubscription,
  pauseSubscription,
  resumeSubscription,
  rotateSecret,
} from '../../domain/integration/webhooks/subscriptions';
import type { UserActor } from '../../domain/users/types';
import { adminProcedure, adminWriteProcedure, router } from '../trpc';

function actorOf(ctx: { user: { id: string }; requestId: string }): UserActor {
  return { userId: ctx.user.id, requestId: ctx.requestId };
}

export const webhooksRouter = router({
  topics: adminProcedure.query(() => listTopics()),

  partners: adminProcedure.query(({ ctx }) => listPartners(ctx.db)),

  subscriptions: adminProcedure.query(({ ctx }) => listSubscriptions(ctx.db)),

  subscriptionNames: adminProcedure.query(({ ctx }) => subscriptionNames(ctx.db)),

  create: adminWriteProcedure
    .input(createSubscriptionInput)
    .mutation(({ ctx, input }) => createSubscription(ctx.db, actorOf(ctx), input)),

  pause: adminWriteProcedure
    .input(subscriptionIdInput)
    .mutation(({ ctx, input }) => pauseSubscription(ctx.db, actorOf(ctx), input.id)),

  resume: adminWriteProcedure
    .input(subscriptionIdInput)
    .mutation(({ ctx, input }) => resumeSubscription(ctx.db, actorOf(ctx), input.id)),

  rotateSecret: adminWriteProcedure
    .input(subscriptionIdInput)
    .mutation(({ ctx, input }) => rotateSecret(ctx.db, actorOf(ctx), input.id)),

  delete: adminWriteProcedure
    .input(subscriptionIdInput)
    .mutation(({ ctx, input }) => deleteSubscription(ctx.db, actorOf(ctx), input.id)),

  deliveries: adminProcedure
    .input(deliveryFilterInput)
    .query(({ ctx, input }) => listDeliveries(ctx.db, input)),

  attempts: adminProcedure
    .input(deliveryIdInput)
    .query(({ ctx, input }) => deliveryAttempts(ctx.db, input.id)),

  replay: adminWriteProcedure
    .input(replayInput)
    .mutation(({ ctx, input }) => replayDeliveries(ctx.db, actorOf(ctx), input.ids)),
});
