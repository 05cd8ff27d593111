import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';
import { ExceptionStatus, ExceptionType, Severity } from '@/server/db/generated/enums';

type Outputs = inferRouterOutputs<AppRouter>['exceptions'];

export type QueueData = Outputs['queue'];
export type QueueRow = QueueData['items'][number];
export type QueueFilters = inferRouterInputs<AppRouter>['exceptions']['queue'];
export type DetailData = Outputs['detail'];
export type ClockNow = QueueRow['clock'];
export type BulkResult = Outputs['acknowledge'];

export const STATUS_OPTIONS = ['ACTIVE', ...Object.values(ExceptionStatus)];
export const SEVERITY_OPTIONS = Object.values(Severity);
export const TYPE_OPTIONS = Object.values(ExceptionType);
