import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

/** The shipment page's story as the API answers it (shipmentStory plus the site's time zone). */
export type Story = inferRouterOutputs<AppRouter>['shipments']['story'];
export type StoryEvent = Story['events'][number];
export type StoryDecision = Story['decisions'][number];
export type StoryCheck = StoryDecision['checks']['items'][number];
