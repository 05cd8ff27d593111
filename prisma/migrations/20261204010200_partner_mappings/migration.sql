-- CreateEnum
CREATE TYPE "MappingKind" AS ENUM ('PARTNER_ID', 'SKU', 'LOCATION', 'CARRIER');

-- CreateTable
CREATE TABLE "partner_mappings" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "kind" "MappingKind" NOT NULL,
    "external_id" TEXT NOT NULL,
    "customer_id" UUID,
    "sku_id" UUID,
    "site_id" UUID,
    "dock" TEXT,
    "customer_location_id" UUID,
    "carrier_id" UUID,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "partner_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "held_document_events" (
    "id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "unmatched" JSONB NOT NULL,
    "site_codes" TEXT[],
    "event_types" "EventType"[],
    "held_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    "outcome" JSONB,

    CONSTRAINT "held_document_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "partner_mappings_customer_id_idx" ON "partner_mappings"("customer_id");

-- CreateIndex
CREATE INDEX "partner_mappings_sku_id_idx" ON "partner_mappings"("sku_id");

-- CreateIndex
CREATE INDEX "partner_mappings_site_id_idx" ON "partner_mappings"("site_id");

-- CreateIndex
CREATE INDEX "partner_mappings_customer_location_id_idx" ON "partner_mappings"("customer_location_id");

-- CreateIndex
CREATE INDEX "partner_mappings_carrier_id_idx" ON "partner_mappings"("carrier_id");

-- CreateIndex
CREATE UNIQUE INDEX "partner_mappings_partner_id_kind_external_id_key" ON "partner_mappings"("partner_id", "kind", "external_id");

-- CreateIndex
CREATE INDEX "held_document_events_partner_id_released_at_idx" ON "held_document_events"("partner_id", "released_at");

-- CreateIndex
CREATE UNIQUE INDEX "held_document_events_document_id_event_id_key" ON "held_document_events"("document_id", "event_id");

-- AddForeignKey
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_sku_id_fkey" FOREIGN KEY ("sku_id") REFERENCES "skus"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_customer_location_id_fkey" FOREIGN KEY ("customer_location_id") REFERENCES "customer_locations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "carriers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "held_document_events" ADD CONSTRAINT "held_document_events_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "integration_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "held_document_events" ADD CONSTRAINT "held_document_events_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A mapping names exactly one thing, whatever its kind (the service checks the kind matches).
ALTER TABLE "partner_mappings" ADD CONSTRAINT "partner_mappings_one_target_check" CHECK (num_nonnulls("customer_id", "sku_id", "site_id", "customer_location_id", "carrier_id") = 1);
