-- CreateEnum
CREATE TYPE "CarrierInvoiceMatch" AS ENUM ('MATCHED', 'UNMATCHED');

-- CreateEnum
CREATE TYPE "TenderDecision" AS ENUM ('ACCEPTED', 'DECLINED', 'UNKNOWN');

-- CreateTable
CREATE TABLE "carrier_invoices" (
    "id" UUID NOT NULL,
    "document_id" UUID,
    "partner_id" UUID,
    "carrier_scac" TEXT NOT NULL,
    "carrier_id" UUID,
    "invoice_number" TEXT NOT NULL,
    "invoice_date" DATE,
    "currency" CHAR(3),
    "total" DECIMAL(14,4) NOT NULL,
    "net_amount_due" DECIMAL(14,4),
    "shipment_refs" TEXT[],
    "shipment_id" UUID,
    "match" "CarrierInvoiceMatch" NOT NULL,
    "unmatched_reason" TEXT,
    "warnings" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carrier_invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carrier_invoice_charges" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "line_no" INTEGER,
    "code" TEXT NOT NULL,
    "description" TEXT,
    "amount" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3),
    "rate" DECIMAL(18,6),
    "rate_qualifier" TEXT,

    CONSTRAINT "carrier_invoice_charges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tender_responses" (
    "id" UUID NOT NULL,
    "document_id" UUID,
    "partner_id" UUID,
    "carrier_scac" TEXT NOT NULL,
    "carrier_id" UUID,
    "shipment_ref" TEXT NOT NULL,
    "shipment_id" UUID,
    "decision" "TenderDecision" NOT NULL,
    "reason" TEXT,
    "responded_on" DATE,
    "references" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tender_responses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "carrier_invoices_document_id_idx" ON "carrier_invoices"("document_id");

-- CreateIndex
CREATE INDEX "carrier_invoices_partner_id_idx" ON "carrier_invoices"("partner_id");

-- CreateIndex
CREATE INDEX "carrier_invoices_carrier_id_received_at_idx" ON "carrier_invoices"("carrier_id", "received_at");

-- CreateIndex
CREATE INDEX "carrier_invoices_shipment_id_idx" ON "carrier_invoices"("shipment_id");

-- CreateIndex
CREATE INDEX "carrier_invoices_match_received_at_idx" ON "carrier_invoices"("match", "received_at");

-- CreateIndex
CREATE INDEX "carrier_invoices_received_at_idx" ON "carrier_invoices"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "carrier_invoices_carrier_scac_invoice_number_key" ON "carrier_invoices"("carrier_scac", "invoice_number");

-- CreateIndex
CREATE UNIQUE INDEX "carrier_invoice_charges_invoice_id_position_key" ON "carrier_invoice_charges"("invoice_id", "position");

-- CreateIndex
CREATE INDEX "tender_responses_document_id_idx" ON "tender_responses"("document_id");

-- CreateIndex
CREATE INDEX "tender_responses_partner_id_idx" ON "tender_responses"("partner_id");

-- CreateIndex
CREATE INDEX "tender_responses_carrier_id_idx" ON "tender_responses"("carrier_id");

-- CreateIndex
CREATE INDEX "tender_responses_shipment_id_received_at_idx" ON "tender_responses"("shipment_id", "received_at");

-- CreateIndex
CREATE INDEX "tender_responses_shipment_ref_idx" ON "tender_responses"("shipment_ref");

-- CreateIndex
CREATE INDEX "tender_responses_received_at_idx" ON "tender_responses"("received_at");

-- AddForeignKey
ALTER TABLE "carrier_invoices" ADD CONSTRAINT "carrier_invoices_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "integration_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_invoices" ADD CONSTRAINT "carrier_invoices_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_invoices" ADD CONSTRAINT "carrier_invoices_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "carriers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_invoices" ADD CONSTRAINT "carrier_invoices_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_invoice_charges" ADD CONSTRAINT "carrier_invoice_charges_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "carrier_invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_responses" ADD CONSTRAINT "tender_responses_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "integration_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_responses" ADD CONSTRAINT "tender_responses_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_responses" ADD CONSTRAINT "tender_responses_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "carriers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_responses" ADD CONSTRAINT "tender_responses_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE SET NULL ON UPDATE CASCADE;
