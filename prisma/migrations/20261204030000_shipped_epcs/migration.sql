
-- CreateTable
CREATE TABLE "shipped_epcs" (
    "epc" TEXT NOT NULL,
    "document_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "site_id" UUID NOT NULL,
    "order_ref" TEXT,
    "shipment_ref" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shipped_epcs_pkey" PRIMARY KEY ("epc","event_id")
);

-- CreateIndex
CREATE INDEX "shipped_epcs_document_id_idx" ON "shipped_epcs"("document_id");

-- CreateIndex
CREATE INDEX "shipped_epcs_site_id_idx" ON "shipped_epcs"("site_id");

-- AddForeignKey
ALTER TABLE "shipped_epcs" ADD CONSTRAINT "shipped_epcs_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "integration_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipped_epcs" ADD CONSTRAINT "shipped_epcs_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

