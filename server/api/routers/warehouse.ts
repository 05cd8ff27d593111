import { z } from 'zod';
import { floorBoard, floorBoardInput } from '../../domain/shipments/board';
import {
  handRecordInput,
  handRecordTarget,
  recordByHand,
} from '../../domain/intake/record-by-hand';
import { privilegedProcedure, roleProcedure, router } from '../trpc';

const supervisor = roleProcedure('WAREHOUSE_SUPERVISOR');

export const warehouseRouter = router({
  floor: supervisor
    .input(floorBoardInput)
    .query(({ ctx, input }) => floorBoard(ctx.db, ctx.user, input)),

  handTarget: supervisor
    .input(z.object({ ref: z.string().trim().min(1).max(100) }))
    .query(({ ctx, input }) => handRecordTarget(ctx.db, ctx.user, input.ref)),

  // A write on the supervisor's authority: the role is read again right before it.
  recordByHand: privilegedProcedure('WAREHOUSE_SUPERVISOR')
    .input(handRecordInput)
    .mutation(({ ctx, input }) =>
      recordByHand(ctx.db, ctx.user, input, { requestId: ctx.requestId }),
    ),
});
