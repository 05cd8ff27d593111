-- CreateEnum
CREATE TYPE "ChargeAdjustmentStatus" AS ENUM ('APPLIED', 'AWAITING_APPROVAL', 'REJECTED');

-- CreateTable
CREATE TABLE "charge_adjustments" (
    "id" UUID NOT NULL,
    "charge_id" UUID NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "approval_request_id" UUID,
    "status" "ChargeAdjustmentStatus" NOT NULL,
    "previous_amount" DECIMAL(14,4) NOT NULL,
    "new_amount" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "applied_at" TIMESTAMPTZ(3),
    "rejected_at" TIMESTAMPTZ(3),

    CONSTRAINT "charge_adjustments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "charge_adjustments_approval_request_id_key" ON "charge_adjustments"("approval_request_id");

-- CreateIndex
CREATE INDEX "charge_adjustments_charge_id_created_at_idx" ON "charge_adjustments"("charge_id", "created_at");

-- CreateIndex
CREATE INDEX "charge_adjustments_requested_by_id_idx" ON "charge_adjustments"("requested_by_id");

-- CreateIndex
CREATE INDEX "charge_adjustments_status_idx" ON "charge_adjustments"("status");

-- AddForeignKey
ALTER TABLE "charge_adjustments" ADD CONSTRAINT "charge_adjustments_charge_id_fkey" FOREIGN KEY ("charge_id") REFERENCES "charges"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "charge_adjustments" ADD CONSTRAINT "charge_adjustments_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "charge_adjustments" ADD CONSTRAINT "charge_adjustments_approval_request_id_fkey" FOREIGN KEY ("approval_request_id") REFERENCES "approval_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;
