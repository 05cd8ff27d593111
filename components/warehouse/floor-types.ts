import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['warehouse'];

export type FloorBoardData = Outputs['floor'];
export type FloorRow = FloorBoardData['rows'][number];
export type FloorStatus = keyof FloorBoardData['counts'];
export type HandTarget = Outputs['handTarget'];
export type HandRecordInput = inferRouterInputs<AppRouter>['warehouse']['recordByHand'];
export type HandRecordResult = Outputs['recordByHand'];
