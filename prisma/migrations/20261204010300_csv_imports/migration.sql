-- CreateEnum
CREATE TYPE "ImportKind" AS ENUM ('ORDERS', 'INVENTORY', 'BIN_LOCATIONS');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('PREVIEWED', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "BinKind" AS ENUM ('PICK', 'RESERVE', 'STAGING', 'RECEIVING', 'DOCK');

-- CreateTable
CREATE TABLE "import_runs" (
    "id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "kind" "ImportKind" NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'PREVIEWED',
    "file_name" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "columns" JSONB NOT NULL,
    "preview" JSONB NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "all_sites" BOOLEAN NOT NULL,
    "site_ids" UUID[],
    "processed_bytes" INTEGER NOT NULL DEFAULT 0,
    "rows_processed" INTEGER NOT NULL DEFAULT 0,
    "rows_imported" INTEGER NOT NULL DEFAULT 0,
    "rows_unchanged" INTEGER NOT NULL DEFAULT 0,
    "rows_rejected" INTEGER NOT NULL DEFAULT 0,
    "failure" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "import_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_row_errors" (
    "id" BIGSERIAL NOT NULL,
    "run_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "column" TEXT,
    "value" TEXT,
    "reason" TEXT NOT NULL,

    CONSTRAINT "import_row_errors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bin_locations" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "zone" TEXT,
    "kind" "BinKind" NOT NULL DEFAULT 'PICK',
    "max_weight_kg" DECIMAL(12,4),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bin_locations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory_balances" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "sku_id" UUID NOT NULL,
    "bin_location_id" UUID NOT NULL,
    "lot" TEXT NOT NULL DEFAULT '',
    "on_hand" DECIMAL(14,4) NOT NULL,
    "import_run_id" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inventory_balances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "import_runs_document_id_key" ON "import_runs"("document_id");

-- CreateIndex
CREATE INDEX "import_runs_created_at_idx" ON "import_runs"("created_at");

-- CreateIndex
CREATE INDEX "import_runs_status_idx" ON "import_runs"("status");

-- CreateIndex
CREATE INDEX "import_runs_uploaded_by_id_idx" ON "import_runs"("uploaded_by_id");

-- CreateIndex
CREATE INDEX "import_row_errors_run_id_line_idx" ON "import_row_errors"("run_id", "line");

-- CreateIndex
CREATE UNIQUE INDEX "bin_locations_site_id_code_key" ON "bin_locations"("site_id", "code");

-- CreateIndex
CREATE INDEX "inventory_balances_site_id_sku_id_idx" ON "inventory_balances"("site_id", "sku_id");

-- CreateIndex
CREATE INDEX "inventory_balances_sku_id_idx" ON "inventory_balances"("sku_id");

-- CreateIndex
CREATE INDEX "inventory_balances_import_run_id_idx" ON "inventory_balances"("import_run_id");

-- CreateIndex
CREATE UNIQUE INDEX "inventory_balances_bin_location_id_sku_id_lot_key" ON "inventory_balances"("bin_location_id", "sku_id", "lot");

-- AddForeignKey
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "integration_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_uploaded_by_id_fkey" FOREIGN KEY ("uploaded_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row_errors" ADD CONSTRAINT "import_row_errors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "import_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bin_locations" ADD CONSTRAINT "bin_locations_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_sku_id_fkey" FOREIGN KEY ("sku_id") REFERENCES "skus"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_bin_location_id_fkey" FOREIGN KEY ("bin_location_id") REFERENCES "bin_locations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory_balances" ADD CONSTRAINT "inventory_balances_import_run_id_fkey" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
