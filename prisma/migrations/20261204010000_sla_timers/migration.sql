
-- CreateTable
CREATE TABLE "sla_timers" (
    "exception_id" UUID NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 0,
    "level" SMALLINT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "armed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_timers_pkey" PRIMARY KEY ("exception_id")
);

-- CreateIndex
CREATE INDEX "sla_timers_due_at_idx" ON "sla_timers"("due_at");

-- AddForeignKey
ALTER TABLE "sla_timers" ADD CONSTRAINT "sla_timers_exception_id_fkey" FOREIGN KEY ("exception_id") REFERENCES "exceptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

