
-- CreateEnum
CREATE TYPE "BreachKind" AS ENUM ('FIRST_RESPONSE', 'RESOLUTION');

-- CreateEnum
CREATE TYPE "AssignmentStrategy" AS ENUM ('ROUND_ROBIN', 'LEAST_LOADED');

-- CreateEnum
CREATE TYPE "ApprovalKind" AS ENUM ('DANGEROUS_GOODS', 'GOODS_VALUE', 'HOLD_OVERRIDE', 'CHARGE_ADJUSTMENT');

-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('EXCEPTION_ESCALATED', 'EXCEPTION_ASSIGNED', 'APPROVAL_REQUESTED', 'APPROVAL_ESCALATED', 'APPROVAL_DECIDED');

-- AlterTable
ALTER TABLE "sla_policies" ADD COLUMN     "escalation_step_minutes" INTEGER NOT NULL DEFAULT 120;

-- AlterTable
ALTER TABLE "exceptions" ADD COLUMN     "assigned_at" TIMESTAMPTZ(3),
ADD COLUMN     "paused_business_minutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reopened_at" TIMESTAMPTZ(3),
ADD COLUMN     "sla_started_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "exception_escalations" (
    "id" UUID NOT NULL,
    "exception_id" UUID NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 0,
    "level" SMALLINT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recipient_ids" UUID[],

    CONSTRAINT "exception_escalations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_breaches" (
    "id" UUID NOT NULL,
    "exception_id" UUID NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 0,
    "kind" "BreachKind" NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_breaches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_assignment_settings" (
    "team_id" UUID NOT NULL,
    "strategy" "AssignmentStrategy" NOT NULL DEFAULT 'ROUND_ROBIN',
    "last_assignee_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "team_assignment_settings_pkey" PRIMARY KEY ("team_id")
);

-- CreateTable
CREATE TABLE "approval_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ApprovalKind" NOT NULL,
    "condition" JSONB NOT NULL,
    "required_role" "Role" NOT NULL,
    "required_level" "UserLevel" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "approval_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_requests" (
    "id" UUID NOT NULL,
    "rule_id" UUID,
    "shipment_id" UUID,
    "kind" "ApprovalKind" NOT NULL,
    "requested_by_id" UUID,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'PENDING',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "decision_note" TEXT,
    "detail" JSONB,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "sealed_through_id" BIGINT NOT NULL,
    "entity_count" INTEGER NOT NULL,
    "root_hash" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "link" TEXT,
    "exception_id" UUID,
    "approval_request_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),
    "emailed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shifts" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "user_id" UUID,
    "weekday" SMALLINT NOT NULL,
    "start_minute" SMALLINT NOT NULL,
    "end_minute" SMALLINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shifts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "exception_escalations_recipient_ids_idx" ON "exception_escalations" USING GIN ("recipient_ids");

-- CreateIndex
CREATE UNIQUE INDEX "exception_escalations_exception_id_cycle_level_key" ON "exception_escalations"("exception_id", "cycle", "level");

-- CreateIndex
CREATE INDEX "sla_breaches_recorded_at_idx" ON "sla_breaches"("recorded_at");

-- CreateIndex
CREATE UNIQUE INDEX "sla_breaches_exception_id_kind_due_at_key" ON "sla_breaches"("exception_id", "kind", "due_at");

-- CreateIndex
CREATE INDEX "approval_rules_kind_active_idx" ON "approval_rules"("kind", "active");

-- CreateIndex
CREATE INDEX "approval_requests_rule_id_idx" ON "approval_requests"("rule_id");

-- CreateIndex
CREATE INDEX "approval_requests_shipment_id_status_idx" ON "approval_requests"("shipment_id", "status");

-- CreateIndex
CREATE INDEX "approval_requests_requested_by_id_idx" ON "approval_requests"("requested_by_id");

-- CreateIndex
CREATE INDEX "approval_requests_decided_by_id_idx" ON "approval_requests"("decided_by_id");

-- CreateIndex
CREATE INDEX "approval_requests_status_due_at_idx" ON "approval_requests"("status", "due_at");

-- CreateIndex
CREATE INDEX "approval_requests_kind_status_idx" ON "approval_requests"("kind", "status");

-- CreateIndex
CREATE INDEX "audit_checkpoints_sealed_through_id_idx" ON "audit_checkpoints"("sealed_through_id");

-- CreateIndex
CREATE INDEX "audit_checkpoints_created_at_idx" ON "audit_checkpoints"("created_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_read_at_idx" ON "notifications"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_exception_id_idx" ON "notifications"("exception_id");

-- CreateIndex
CREATE INDEX "notifications_approval_request_id_idx" ON "notifications"("approval_request_id");

-- CreateIndex
CREATE INDEX "shifts_team_id_weekday_idx" ON "shifts"("team_id", "weekday");

-- CreateIndex
CREATE INDEX "shifts_user_id_idx" ON "shifts"("user_id");

-- CreateIndex
CREATE INDEX "exceptions_status_next_escalation_at_idx" ON "exceptions"("status", "next_escalation_at");

-- AddForeignKey
ALTER TABLE "exception_escalations" ADD CONSTRAINT "exception_escalations_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "exceptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sla_breaches" ADD CONSTRAINT "sla_breaches_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "exceptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_assignment_settings" ADD CONSTRAINT "team_assignment_settings_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "approval_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "exceptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_approval_request_id_fkey" FOREIGN KEY ("approval_request_id") REFERENCES "approval_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shifts" ADD CONSTRAINT "shifts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

