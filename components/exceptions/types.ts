import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['exceptions'];

export type QueueData = Outputs['queue'];
export type QueueRow = QueueData['items'][number];
export type QueueFilters = inferRouterInputs<AppRouter>['exceptions']['queue'];
export type DetailData = Outputs['detail'];
export type ClockNow = QueueRow['clock'];
export type BulkResult = Outputs['acknowledge'];

export const STATUS_OPTIONS = ['ACTIVE', 'OPEN', 'ACKNOWLEDGED', 'WAITING', 'RESOLVED', 'CLOSED'];
export const SEVERITY_OPTIONS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const TYPE_OPTIONS = [
  'QUANTITY_VARIANCE',
  'INVENTORY_UNCONFIRMED',
  'MISSING_DOCUMENT',
  'CREDIT_HOLD',
  'ROUTE_INELIGIBLE',
  'CAPACITY',
  'CARRIER_FAILURE',
  'CHARGE_ANOMALY',
  'NO_RATE',
  'POD_MISMATCH',
  'ORPHAN_EVENT',
  'FAILED_JOB',
  'APPROVAL_REQUIRED',
];
