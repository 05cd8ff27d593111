
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'PARTNER', 'SYSTEM');

-- CreateEnum
CREATE TYPE "ChargeKind" AS ENUM ('FREIGHT', 'MINIMUM_ADJUSTMENT', 'FUEL_SURCHARGE', 'ACCESSORIAL', 'TAX');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('DRAFT', 'HELD', 'RELEASED', 'PAID', 'VOID');

-- CreateEnum
CREATE TYPE "AccessorialUnit" AS ENUM ('PER_SHIPMENT', 'PER_HANDLING_UNIT', 'PER_KG');

-- CreateEnum
CREATE TYPE "TripStatus" AS ENUM ('PLANNED', 'LOADING', 'DEPARTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('BOOKED', 'LOADED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ExceptionType" AS ENUM ('QUANTITY_VARIANCE', 'INVENTORY_UNCONFIRMED', 'MISSING_DOCUMENT', 'CREDIT_HOLD', 'ROUTE_INELIGIBLE', 'CAPACITY', 'CARRIER_FAILURE', 'CHARGE_ANOMALY', 'NO_RATE', 'POD_MISMATCH', 'ORPHAN_EVENT', 'FAILED_JOB', 'APPROVAL_REQUIRED');

-- CreateEnum
CREATE TYPE "ExceptionStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'WAITING', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');

-- CreateEnum
CREATE TYPE "SlaUnit" AS ENUM ('BUSINESS_MINUTES', 'BUSINESS_DAYS');

-- CreateEnum
CREATE TYPE "PartnerKind" AS ENUM ('WMS', 'TMS', 'CARRIER', 'ERP', 'CUSTOMER');

-- CreateEnum
CREATE TYPE "DocumentFormat" AS ENUM ('JSON', 'X12', 'EPCIS', 'CSV');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('RELEASED', 'IN_PROGRESS', 'SHIPPED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SiteKind" AS ENUM ('WAREHOUSE', 'CROSS_DOCK');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('WAREHOUSE_SUPERVISOR', 'DISPATCHER', 'BILLING_ANALYST', 'EXECUTIVE', 'ADMIN');

-- CreateEnum
CREATE TYPE "TeamKind" AS ENUM ('WAREHOUSE', 'DISPATCH', 'BILLING', 'ADMIN');

-- CreateEnum
CREATE TYPE "UserLevel" AS ENUM ('MEMBER', 'TEAM_LEAD', 'SITE_MANAGER');

-- CreateEnum
CREATE TYPE "GateOutcome" AS ENUM ('PASS', 'HOLD');

-- CreateEnum
CREATE TYPE "HoldReason" AS ENUM ('QUANTITY_VARIANCE', 'INVENTORY_UNCONFIRMED', 'CREDIT', 'DANGEROUS_GOODS_DOCUMENT', 'ROUTE_INELIGIBLE', 'AWAITING_APPROVAL', 'DISPATCH', 'BILLING', 'MANUAL');

-- CreateEnum
CREATE TYPE "ShipmentStatus" AS ENUM ('RELEASED', 'PICKED', 'STAGED', 'READY', 'HELD', 'SLOTTED', 'LOADED', 'DEPARTED', 'DELIVERED', 'POD_RECEIVED', 'INVOICED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "Readiness" AS ENUM ('PENDING', 'READY', 'HELD');

-- CreateEnum
CREATE TYPE "EventType" AS ENUM ('ORDER_RELEASED', 'PICK_COMPLETED', 'QC_PASSED', 'QC_FAILED', 'PACKED_STAGED', 'DOCUMENT_ATTACHED', 'LOADED', 'DEPARTED', 'ARRIVED', 'DELIVERED', 'POD_RECEIVED', 'CANCELLED', 'EVENT_VOIDED', 'RETURN_RECEIVED', 'INBOUND_RECEIPT');

-- CreateEnum
CREATE TYPE "EventSource" AS ENUM ('API', 'EDI', 'EPCIS', 'CSV', 'UI', 'SEED');

-- CreateEnum
CREATE TYPE "EventDisposition" AS ENUM ('APPLIED', 'LATE', 'ORPHANED', 'VOIDED');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('DANGEROUS_GOODS_DECLARATION', 'PROOF_OF_DELIVERY', 'COMMERCIAL_INVOICE', 'OTHER');

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "request_id" TEXT,
    "data" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "prev_hash" TEXT,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "charges" (
    "id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "invoice_id" UUID,
    "kind" "ChargeKind" NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "basis" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "voided_at" TIMESTAMPTZ(3),

    CONSTRAINT "charges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "shipment_id" UUID,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'DRAFT',
    "currency" CHAR(3) NOT NULL,
    "subtotal" DECIMAL(14,4) NOT NULL,
    "tax" DECIMAL(14,4) NOT NULL,
    "total" DECIMAL(14,4) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    "due_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "voided_at" TIMESTAMPTZ(3),

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_holds" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "placed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),

    CONSTRAINT "invoice_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "units_of_measure" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "units_of_measure_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "skus" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "gtin" TEXT,
    "base_uom" TEXT NOT NULL DEFAULT 'EA',
    "unit_price" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "weight_kg" DECIMAL(12,4) NOT NULL,
    "volume_m3" DECIMAL(12,6) NOT NULL,
    "un_number" TEXT,
    "hazard_class" TEXT,
    "packing_group" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "skus_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sku_units" (
    "sku_id" UUID NOT NULL,
    "uom_code" TEXT NOT NULL,
    "factor" DECIMAL(12,4) NOT NULL,

    CONSTRAINT "sku_units_pkey" PRIMARY KEY ("sku_id","uom_code")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "credit_limit" DECIMAL(14,4) NOT NULL,
    "payment_terms_days" INTEGER NOT NULL DEFAULT 30,
    "allows_partial" BOOLEAN NOT NULL DEFAULT false,
    "credit_blocked" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_locations" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address_line" TEXT,
    "city" TEXT NOT NULL,
    "region" TEXT,
    "postal_code" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "gln" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_locations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tax_jurisdictions" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rate" DECIMAL(8,6) NOT NULL,

    CONSTRAINT "tax_jurisdictions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fuel_surcharge_tables" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "fuel_surcharge_tables_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fuel_surcharge_bands" (
    "id" UUID NOT NULL,
    "table_id" UUID NOT NULL,
    "price_from" DECIMAL(10,4) NOT NULL,
    "price_to" DECIMAL(10,4),
    "percent" DECIMAL(8,6) NOT NULL,

    CONSTRAINT "fuel_surcharge_bands_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fuel_price_index" (
    "id" UUID NOT NULL,
    "region" TEXT NOT NULL,
    "week_start" DATE NOT NULL,
    "price" DECIMAL(10,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,

    CONSTRAINT "fuel_price_index_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exchange_rates" (
    "id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "base" CHAR(3) NOT NULL,
    "quote" CHAR(3) NOT NULL,
    "rate" DECIMAL(18,8) NOT NULL,

    CONSTRAINT "exchange_rates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contracts" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "fuel_table_id" UUID,
    "fuel_region" TEXT,
    "tax_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contracts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contract_lanes" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "origin_site_id" UUID NOT NULL,
    "zone_id" UUID NOT NULL,
    "minimum_charge" DECIMAL(14,4) NOT NULL,

    CONSTRAINT "contract_lanes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lane_rate_breaks" (
    "id" UUID NOT NULL,
    "lane_id" UUID NOT NULL,
    "min_weight_kg" DECIMAL(12,3) NOT NULL,
    "rate_per_kg" DECIMAL(14,6) NOT NULL,

    CONSTRAINT "lane_rate_breaks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accessorials" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unit" "AccessorialUnit" NOT NULL,
    "amount" DECIMAL(14,4) NOT NULL,
    "automatic" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "accessorials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "invoice_id" UUID,
    "amount" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "reference" TEXT,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carriers" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "scac" TEXT,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carriers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carrier_rate_lanes" (
    "id" UUID NOT NULL,
    "carrier_id" UUID NOT NULL,
    "origin_site_id" UUID NOT NULL,
    "zone_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "rate_per_kg" DECIMAL(14,6) NOT NULL,
    "minimum_charge" DECIMAL(14,4) NOT NULL,
    "settlement_tolerance" DECIMAL(8,6) NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,

    CONSTRAINT "carrier_rate_lanes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_zones" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "postal_prefixes" TEXT[],

    CONSTRAINT "delivery_zones_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicles" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "site_id" UUID NOT NULL,
    "carrier_id" UUID,
    "kind" TEXT NOT NULL,
    "max_weight_kg" DECIMAL(12,3) NOT NULL,
    "max_volume_m3" DECIMAL(12,4) NOT NULL,
    "dg_classes" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "vehicles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "routes" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "site_id" UUID NOT NULL,
    "carrier_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "routes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route_zones" (
    "route_id" UUID NOT NULL,
    "zone_id" UUID NOT NULL,

    CONSTRAINT "route_zones_pkey" PRIMARY KEY ("route_id","zone_id")
);

-- CreateTable
CREATE TABLE "route_departures" (
    "id" UUID NOT NULL,
    "route_id" UUID NOT NULL,
    "weekdays" INTEGER[],
    "depart_minute" SMALLINT NOT NULL,
    "cutoff_minute" SMALLINT NOT NULL,

    CONSTRAINT "route_departures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trips" (
    "id" UUID NOT NULL,
    "departure_id" UUID NOT NULL,
    "service_date" DATE NOT NULL,
    "departs_at" TIMESTAMPTZ(3) NOT NULL,
    "cutoff_at" TIMESTAMPTZ(3) NOT NULL,
    "vehicle_id" UUID,
    "status" "TripStatus" NOT NULL DEFAULT 'PLANNED',
    "departed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trips_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dock_doors" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "dock_doors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dispatch_bookings" (
    "id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "trip_id" UUID NOT NULL,
    "vehicle_id" UUID NOT NULL,
    "dock_door_id" UUID NOT NULL,
    "slot_start" TIMESTAMPTZ(3) NOT NULL,
    "slot_end" TIMESTAMPTZ(3) NOT NULL,
    "weight_kg" DECIMAL(12,3) NOT NULL,
    "volume_m3" DECIMAL(12,4) NOT NULL,
    "status" "BookingStatus" NOT NULL DEFAULT 'BOOKED',
    "booked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "dispatch_bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_policies" (
    "id" UUID NOT NULL,
    "exception_type" "ExceptionType" NOT NULL,
    "severity" "Severity" NOT NULL,
    "customer_id" UUID,
    "first_response_value" INTEGER NOT NULL,
    "first_response_unit" "SlaUnit" NOT NULL DEFAULT 'BUSINESS_MINUTES',
    "resolution_value" INTEGER NOT NULL,
    "resolution_unit" "SlaUnit" NOT NULL DEFAULT 'BUSINESS_MINUTES',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exceptions" (
    "id" UUID NOT NULL,
    "type" "ExceptionType" NOT NULL,
    "severity" "Severity" NOT NULL DEFAULT 'MEDIUM',
    "status" "ExceptionStatus" NOT NULL DEFAULT 'OPEN',
    "owner_team" "TeamKind" NOT NULL,
    "site_id" UUID,
    "team_id" UUID,
    "assignee_id" UUID,
    "shipment_id" UUID,
    "event_id" UUID,
    "sla_policy_id" UUID,
    "dedupe_key" TEXT,
    "title" TEXT NOT NULL,
    "detail" JSONB,
    "resolution_code" TEXT,
    "resolution_note" TEXT,
    "rework_count" INTEGER NOT NULL DEFAULT 0,
    "escalation_level" INTEGER NOT NULL DEFAULT 0,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),
    "waiting_since" TIMESTAMPTZ(3),
    "first_response_due_at" TIMESTAMPTZ(3),
    "resolution_due_at" TIMESTAMPTZ(3),
    "next_escalation_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "exceptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partners" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PartnerKind" NOT NULL,
    "lenient" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "event_types" "EventType"[],
    "can_send_events" BOOLEAN NOT NULL DEFAULT true,
    "can_read" BOOLEAN NOT NULL DEFAULT false,
    "can_send_edi" BOOLEAN NOT NULL DEFAULT false,
    "can_send_epcis" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key_sites" (
    "api_key_id" UUID NOT NULL,
    "site_id" UUID NOT NULL,

    CONSTRAINT "api_key_sites_pkey" PRIMARY KEY ("api_key_id","site_id")
);

-- CreateTable
CREATE TABLE "integration_documents" (
    "id" UUID NOT NULL,
    "partner_id" UUID,
    "format" "DocumentFormat" NOT NULL,
    "control_ref" TEXT,
    "body" TEXT NOT NULL,
    "result" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "integration_documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "ship_to_id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "po_number" TEXT,
    "status" "OrderStatus" NOT NULL DEFAULT 'RELEASED',
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "requested_at" TIMESTAMPTZ(3),
    "released_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_lines" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "sku_id" UUID NOT NULL,
    "quantity" DECIMAL(14,4) NOT NULL,
    "uom_code" TEXT NOT NULL,
    "unit_price" DECIMAL(14,4) NOT NULL,

    CONSTRAINT "order_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "business_calendars" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "always_open" BOOLEAN NOT NULL DEFAULT false,
    "holiday_country" TEXT,
    "holiday_state" TEXT,
    "holiday_region" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "business_calendars_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "working_hours" (
    "id" UUID NOT NULL,
    "calendar_id" UUID NOT NULL,
    "weekday" SMALLINT NOT NULL,
    "opens_minute" SMALLINT NOT NULL,
    "closes_minute" SMALLINT NOT NULL,

    CONSTRAINT "working_hours_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendar_closures" (
    "id" UUID NOT NULL,
    "calendar_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "calendar_closures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sites" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SiteKind" NOT NULL DEFAULT 'WAREHOUSE',
    "time_zone" TEXT NOT NULL,
    "calendar_id" UUID NOT NULL,
    "address_line" TEXT,
    "city" TEXT NOT NULL,
    "region" TEXT,
    "postal_code" TEXT,
    "country" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teams" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "kind" "TeamKind" NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "level" "UserLevel" NOT NULL DEFAULT 'MEMBER',
    "team_id" UUID,
    "all_sites" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_sites" (
    "user_id" UUID NOT NULL,
    "site_id" UUID NOT NULL,

    CONSTRAINT "user_sites_pkey" PRIMARY KEY ("user_id","site_id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateTable
CREATE TABLE "readiness_decisions" (
    "id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "outcome" "GateOutcome" NOT NULL,
    "checks" JSONB NOT NULL,
    "rule_version" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "readiness_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "holds" (
    "id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "reason" "HoldReason" NOT NULL,
    "detail" TEXT NOT NULL,
    "decision_id" UUID,
    "placed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" UUID,

    CONSTRAINT "holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments" (
    "id" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "ship_to_id" UUID NOT NULL,
    "status" "ShipmentStatus" NOT NULL DEFAULT 'RELEASED',
    "readiness" "Readiness" NOT NULL DEFAULT 'PENDING',
    "tracking_ref" TEXT,
    "dangerous_goods" BOOLEAN NOT NULL DEFAULT false,
    "handling_units" INTEGER,
    "weight_kg" DECIMAL(12,3),
    "volume_m3" DECIMAL(12,4),
    "staged_dock" TEXT,
    "goods_value" DECIMAL(14,4),
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "planned_trip_id" UUID,
    "released_at" TIMESTAMPTZ(3) NOT NULL,
    "picked_at" TIMESTAMPTZ(3),
    "qc_at" TIMESTAMPTZ(3),
    "packed_staged_at" TIMESTAMPTZ(3),
    "ready_at" TIMESTAMPTZ(3),
    "held_at" TIMESTAMPTZ(3),
    "slotted_at" TIMESTAMPTZ(3),
    "loaded_at" TIMESTAMPTZ(3),
    "departed_at" TIMESTAMPTZ(3),
    "arrived_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "pod_received_at" TIMESTAMPTZ(3),
    "invoiced_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_lines" (
    "id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "ordered_qty" DECIMAL(14,4) NOT NULL,
    "picked_qty" DECIMAL(14,4) NOT NULL DEFAULT 0,
    "delivered_qty" DECIMAL(14,4),
    "lot" TEXT,
    "location" TEXT,
    "qc_failed" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipment_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_events" (
    "id" UUID NOT NULL,
    "partner_id" UUID,
    "event_id" TEXT NOT NULL,
    "type" "EventType" NOT NULL,
    "source" "EventSource" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "shipment_id" UUID,
    "order_ref" TEXT,
    "shipment_ref" TEXT,
    "payload" JSONB NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "disposition" "EventDisposition" NOT NULL DEFAULT 'APPLIED',
    "voided_at" TIMESTAMPTZ(3),
    "user_id" UUID,
    "document_id" UUID,

    CONSTRAINT "shipment_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipment_documents" (
    "id" UUID NOT NULL,
    "shipment_id" UUID NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "reference" TEXT,
    "uri" TEXT,
    "order_line_id" UUID,
    "event_id" UUID,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "voided_at" TIMESTAMPTZ(3),

    CONSTRAINT "shipment_documents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log"("actor_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_entity_type_entity_id_seq_key" ON "audit_log"("entity_type", "entity_id", "seq");

-- CreateIndex
CREATE INDEX "charges_shipment_id_idx" ON "charges"("shipment_id");

-- CreateIndex
CREATE INDEX "charges_invoice_id_idx" ON "charges"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");

-- CreateIndex
CREATE INDEX "invoices_customer_id_status_idx" ON "invoices"("customer_id", "status");

-- CreateIndex
CREATE INDEX "invoices_shipment_id_idx" ON "invoices"("shipment_id");

-- CreateIndex
CREATE INDEX "invoices_status_due_at_idx" ON "invoices"("status", "due_at");

-- CreateIndex
CREATE INDEX "invoice_holds_invoice_id_released_at_idx" ON "invoice_holds"("invoice_id", "released_at");

-- CreateIndex
CREATE UNIQUE INDEX "skus_code_key" ON "skus"("code");

-- CreateIndex
CREATE UNIQUE INDEX "skus_gtin_key" ON "skus"("gtin");

-- CreateIndex
CREATE INDEX "skus_hazard_class_idx" ON "skus"("hazard_class");

-- CreateIndex
CREATE INDEX "sku_units_uom_code_idx" ON "sku_units"("uom_code");

-- CreateIndex
CREATE UNIQUE INDEX "customers_code_key" ON "customers"("code");

-- CreateIndex
CREATE INDEX "customer_locations_postal_code_idx" ON "customer_locations"("postal_code");

-- CreateIndex
CREATE UNIQUE INDEX "customer_locations_customer_id_code_key" ON "customer_locations"("customer_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "tax_jurisdictions_code_key" ON "tax_jurisdictions"("code");

-- CreateIndex
CREATE UNIQUE INDEX "fuel_surcharge_tables_code_key" ON "fuel_surcharge_tables"("code");

-- CreateIndex
CREATE INDEX "fuel_surcharge_bands_table_id_price_from_idx" ON "fuel_surcharge_bands"("table_id", "price_from");

-- CreateIndex
CREATE UNIQUE INDEX "fuel_price_index_region_week_start_key" ON "fuel_price_index"("region", "week_start");

-- CreateIndex
CREATE UNIQUE INDEX "exchange_rates_date_base_quote_key" ON "exchange_rates"("date", "base", "quote");

-- CreateIndex
CREATE UNIQUE INDEX "contracts_code_key" ON "contracts"("code");

-- CreateIndex
CREATE INDEX "contracts_customer_id_valid_from_idx" ON "contracts"("customer_id", "valid_from");

-- CreateIndex
CREATE INDEX "contracts_fuel_table_id_idx" ON "contracts"("fuel_table_id");

-- CreateIndex
CREATE INDEX "contracts_tax_id_idx" ON "contracts"("tax_id");

-- CreateIndex
CREATE INDEX "contract_lanes_origin_site_id_idx" ON "contract_lanes"("origin_site_id");

-- CreateIndex
CREATE INDEX "contract_lanes_zone_id_idx" ON "contract_lanes"("zone_id");

-- CreateIndex
CREATE UNIQUE INDEX "contract_lanes_contract_id_origin_site_id_zone_id_key" ON "contract_lanes"("contract_id", "origin_site_id", "zone_id");

-- CreateIndex
CREATE UNIQUE INDEX "lane_rate_breaks_lane_id_min_weight_kg_key" ON "lane_rate_breaks"("lane_id", "min_weight_kg");

-- CreateIndex
CREATE UNIQUE INDEX "accessorials_contract_id_code_key" ON "accessorials"("contract_id", "code");

-- CreateIndex
CREATE INDEX "payments_customer_id_received_at_idx" ON "payments"("customer_id", "received_at");

-- CreateIndex
CREATE INDEX "payments_invoice_id_idx" ON "payments"("invoice_id");

-- CreateIndex
CREATE UNIQUE INDEX "carriers_code_key" ON "carriers"("code");

-- CreateIndex
CREATE UNIQUE INDEX "carriers_scac_key" ON "carriers"("scac");

-- CreateIndex
CREATE INDEX "carrier_rate_lanes_origin_site_id_idx" ON "carrier_rate_lanes"("origin_site_id");

-- CreateIndex
CREATE INDEX "carrier_rate_lanes_zone_id_idx" ON "carrier_rate_lanes"("zone_id");

-- CreateIndex
CREATE UNIQUE INDEX "carrier_rate_lanes_carrier_id_origin_site_id_zone_id_valid__key" ON "carrier_rate_lanes"("carrier_id", "origin_site_id", "zone_id", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_zones_code_key" ON "delivery_zones"("code");

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_code_key" ON "vehicles"("code");

-- CreateIndex
CREATE INDEX "vehicles_site_id_active_idx" ON "vehicles"("site_id", "active");

-- CreateIndex
CREATE INDEX "vehicles_carrier_id_idx" ON "vehicles"("carrier_id");

-- CreateIndex
CREATE UNIQUE INDEX "routes_code_key" ON "routes"("code");

-- CreateIndex
CREATE INDEX "routes_site_id_idx" ON "routes"("site_id");

-- CreateIndex
CREATE INDEX "routes_carrier_id_idx" ON "routes"("carrier_id");

-- CreateIndex
CREATE INDEX "route_zones_zone_id_idx" ON "route_zones"("zone_id");

-- CreateIndex
CREATE INDEX "route_departures_route_id_idx" ON "route_departures"("route_id");

-- CreateIndex
CREATE INDEX "trips_vehicle_id_idx" ON "trips"("vehicle_id");

-- CreateIndex
CREATE INDEX "trips_departs_at_status_idx" ON "trips"("departs_at", "status");

-- CreateIndex
CREATE UNIQUE INDEX "trips_departure_id_service_date_key" ON "trips"("departure_id", "service_date");

-- CreateIndex
CREATE UNIQUE INDEX "dock_doors_site_id_code_key" ON "dock_doors"("site_id", "code");

-- CreateIndex
CREATE INDEX "dispatch_bookings_shipment_id_status_idx" ON "dispatch_bookings"("shipment_id", "status");

-- CreateIndex
CREATE INDEX "dispatch_bookings_trip_id_status_idx" ON "dispatch_bookings"("trip_id", "status");

-- CreateIndex
CREATE INDEX "dispatch_bookings_vehicle_id_idx" ON "dispatch_bookings"("vehicle_id");

-- CreateIndex
CREATE INDEX "dispatch_bookings_dock_door_id_slot_start_idx" ON "dispatch_bookings"("dock_door_id", "slot_start");

-- CreateIndex
CREATE INDEX "sla_policies_exception_type_severity_active_idx" ON "sla_policies"("exception_type", "severity", "active");

-- CreateIndex
CREATE INDEX "sla_policies_customer_id_idx" ON "sla_policies"("customer_id");

-- CreateIndex
CREATE INDEX "exceptions_site_id_owner_team_status_idx" ON "exceptions"("site_id", "owner_team", "status");

-- CreateIndex
CREATE INDEX "exceptions_team_id_status_idx" ON "exceptions"("team_id", "status");

-- CreateIndex
CREATE INDEX "exceptions_assignee_id_status_idx" ON "exceptions"("assignee_id", "status");

-- CreateIndex
CREATE INDEX "exceptions_shipment_id_status_idx" ON "exceptions"("shipment_id", "status");

-- CreateIndex
CREATE INDEX "exceptions_event_id_idx" ON "exceptions"("event_id");

-- CreateIndex
CREATE INDEX "exceptions_sla_policy_id_idx" ON "exceptions"("sla_policy_id");

-- CreateIndex
CREATE INDEX "exceptions_dedupe_key_status_idx" ON "exceptions"("dedupe_key", "status");

-- CreateIndex
CREATE INDEX "exceptions_status_resolution_due_at_idx" ON "exceptions"("status", "resolution_due_at");

-- CreateIndex
CREATE UNIQUE INDEX "partners_code_key" ON "partners"("code");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys"("secret_hash");

-- CreateIndex
CREATE INDEX "api_keys_partner_id_idx" ON "api_keys"("partner_id");

-- CreateIndex
CREATE INDEX "api_key_sites_site_id_idx" ON "api_key_sites"("site_id");

-- CreateIndex
CREATE INDEX "integration_documents_partner_id_format_control_ref_idx" ON "integration_documents"("partner_id", "format", "control_ref");

-- CreateIndex
CREATE INDEX "integration_documents_received_at_idx" ON "integration_documents"("received_at");

-- CreateIndex
CREATE INDEX "outbox_messages_topic_delivered_at_idx" ON "outbox_messages"("topic", "delivered_at");

-- CreateIndex
CREATE INDEX "outbox_messages_aggregate_id_idx" ON "outbox_messages"("aggregate_id");

-- CreateIndex
CREATE UNIQUE INDEX "orders_ref_key" ON "orders"("ref");

-- CreateIndex
CREATE INDEX "orders_customer_id_idx" ON "orders"("customer_id");

-- CreateIndex
CREATE INDEX "orders_ship_to_id_idx" ON "orders"("ship_to_id");

-- CreateIndex
CREATE INDEX "orders_site_id_status_idx" ON "orders"("site_id", "status");

-- CreateIndex
CREATE INDEX "orders_po_number_idx" ON "orders"("po_number");

-- CreateIndex
CREATE INDEX "order_lines_sku_id_idx" ON "order_lines"("sku_id");

-- CreateIndex
CREATE INDEX "order_lines_uom_code_idx" ON "order_lines"("uom_code");

-- CreateIndex
CREATE UNIQUE INDEX "order_lines_order_id_line_no_key" ON "order_lines"("order_id", "line_no");

-- CreateIndex
CREATE UNIQUE INDEX "business_calendars_code_key" ON "business_calendars"("code");

-- CreateIndex
CREATE INDEX "working_hours_calendar_id_weekday_idx" ON "working_hours"("calendar_id", "weekday");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_closures_calendar_id_date_key" ON "calendar_closures"("calendar_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "sites_code_key" ON "sites"("code");

-- CreateIndex
CREATE INDEX "sites_calendar_id_idx" ON "sites"("calendar_id");

-- CreateIndex
CREATE UNIQUE INDEX "teams_site_id_kind_key" ON "teams"("site_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_team_id_idx" ON "users"("team_id");

-- CreateIndex
CREATE INDEX "users_role_active_idx" ON "users"("role", "active");

-- CreateIndex
CREATE INDEX "user_sites_site_id_idx" ON "user_sites"("site_id");

-- CreateIndex
CREATE INDEX "readiness_decisions_shipment_id_decided_at_idx" ON "readiness_decisions"("shipment_id", "decided_at");

-- CreateIndex
CREATE INDEX "holds_shipment_id_released_at_idx" ON "holds"("shipment_id", "released_at");

-- CreateIndex
CREATE INDEX "holds_decision_id_idx" ON "holds"("decision_id");

-- CreateIndex
CREATE INDEX "holds_released_by_id_idx" ON "holds"("released_by_id");

-- CreateIndex
CREATE INDEX "holds_reason_released_at_idx" ON "holds"("reason", "released_at");

-- CreateIndex
CREATE UNIQUE INDEX "shipments_ref_key" ON "shipments"("ref");

-- CreateIndex
CREATE INDEX "shipments_order_id_idx" ON "shipments"("order_id");

-- CreateIndex
CREATE INDEX "shipments_site_id_status_updated_at_idx" ON "shipments"("site_id", "status", "updated_at");

-- CreateIndex
CREATE INDEX "shipments_customer_id_status_idx" ON "shipments"("customer_id", "status");

-- CreateIndex
CREATE INDEX "shipments_ship_to_id_idx" ON "shipments"("ship_to_id");

-- CreateIndex
CREATE INDEX "shipments_planned_trip_id_idx" ON "shipments"("planned_trip_id");

-- CreateIndex
CREATE INDEX "shipments_updated_at_idx" ON "shipments"("updated_at");

-- CreateIndex
CREATE INDEX "shipments_tracking_ref_idx" ON "shipments"("tracking_ref");

-- CreateIndex
CREATE INDEX "shipment_lines_order_line_id_idx" ON "shipment_lines"("order_line_id");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_lines_shipment_id_order_line_id_key" ON "shipment_lines"("shipment_id", "order_line_id");

-- CreateIndex
CREATE INDEX "shipment_events_shipment_id_occurred_at_idx" ON "shipment_events"("shipment_id", "occurred_at");

-- CreateIndex
CREATE INDEX "shipment_events_order_ref_disposition_idx" ON "shipment_events"("order_ref", "disposition");

-- CreateIndex
CREATE INDEX "shipment_events_shipment_ref_disposition_idx" ON "shipment_events"("shipment_ref", "disposition");

-- CreateIndex
CREATE INDEX "shipment_events_document_id_idx" ON "shipment_events"("document_id");

-- CreateIndex
CREATE INDEX "shipment_events_received_at_idx" ON "shipment_events"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_events_partner_id_event_id_key" ON "shipment_events"("partner_id", "event_id");

-- CreateIndex
CREATE INDEX "shipment_documents_shipment_id_kind_idx" ON "shipment_documents"("shipment_id", "kind");

-- CreateIndex
CREATE INDEX "shipment_documents_event_id_idx" ON "shipment_documents"("event_id");

-- AddForeignKey
ALTER TABLE "charges" ADD CONSTRAINT "charges_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "charges" ADD CONSTRAINT "charges_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_holds" ADD CONSTRAINT "invoice_holds_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sku_units" ADD CONSTRAINT "sku_units_sku_id_fkey" FOREIGN KEY ("sku_id") REFERENCES "skus"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sku_units" ADD CONSTRAINT "sku_units_uom_code_fkey" FOREIGN KEY ("uom_code") REFERENCES "units_of_measure"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_locations" ADD CONSTRAINT "customer_locations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fuel_surcharge_bands" ADD CONSTRAINT "fuel_surcharge_bands_table_id_fkey" FOREIGN KEY ("table_id") REFERENCES "fuel_surcharge_tables"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_fuel_table_id_fkey" FOREIGN KEY ("fuel_table_id") REFERENCES "fuel_surcharge_tables"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_tax_id_fkey" FOREIGN KEY ("tax_id") REFERENCES "tax_jurisdictions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_lanes" ADD CONSTRAINT "contract_lanes_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_lanes" ADD CONSTRAINT "contract_lanes_origin_site_id_fkey" FOREIGN KEY ("origin_site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract_lanes" ADD CONSTRAINT "contract_lanes_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "delivery_zones"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lane_rate_breaks" ADD CONSTRAINT "lane_rate_breaks_lane_id_fkey" FOREIGN KEY ("lane_id") REFERENCES "contract_lanes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accessorials" ADD CONSTRAINT "accessorials_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_rate_lanes" ADD CONSTRAINT "carrier_rate_lanes_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "carriers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_rate_lanes" ADD CONSTRAINT "carrier_rate_lanes_origin_site_id_fkey" FOREIGN KEY ("origin_site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "carrier_rate_lanes" ADD CONSTRAINT "carrier_rate_lanes_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "delivery_zones"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "carriers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "routes" ADD CONSTRAINT "routes_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "routes" ADD CONSTRAINT "routes_carrier_id_fkey" FOREIGN KEY ("carrier_id") REFERENCES "carriers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_zones" ADD CONSTRAINT "route_zones_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_zones" ADD CONSTRAINT "route_zones_zone_id_fkey" FOREIGN KEY ("zone_id") REFERENCES "delivery_zones"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route_departures" ADD CONSTRAINT "route_departures_route_id_fkey" FOREIGN KEY ("route_id") REFERENCES "routes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trips" ADD CONSTRAINT "trips_departure_id_fkey" FOREIGN KEY ("departure_id") REFERENCES "route_departures"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trips" ADD CONSTRAINT "trips_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dock_doors" ADD CONSTRAINT "dock_doors_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispatch_bookings" ADD CONSTRAINT "dispatch_bookings_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispatch_bookings" ADD CONSTRAINT "dispatch_bookings_trip_id_fkey" FOREIGN KEY ("trip_id") REFERENCES "trips"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispatch_bookings" ADD CONSTRAINT "dispatch_bookings_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispatch_bookings" ADD CONSTRAINT "dispatch_bookings_dock_door_id_fkey" FOREIGN KEY ("dock_door_id") REFERENCES "dock_doors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exceptions" ADD CONSTRAINT "exceptions_sla_policy_id_fkey" FOREIGN KEY ("sla_policy_id") REFERENCES "sla_policies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_sites" ADD CONSTRAINT "api_key_sites_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_sites" ADD CONSTRAINT "api_key_sites_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "integration_documents" ADD CONSTRAINT "integration_documents_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_ship_to_id_fkey" FOREIGN KEY ("ship_to_id") REFERENCES "customer_locations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_sku_id_fkey" FOREIGN KEY ("sku_id") REFERENCES "skus"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_uom_code_fkey" FOREIGN KEY ("uom_code") REFERENCES "units_of_measure"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "working_hours" ADD CONSTRAINT "working_hours_calendar_id_fkey" FOREIGN KEY ("calendar_id") REFERENCES "business_calendars"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_closures" ADD CONSTRAINT "calendar_closures_calendar_id_fkey" FOREIGN KEY ("calendar_id") REFERENCES "business_calendars"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sites" ADD CONSTRAINT "sites_calendar_id_fkey" FOREIGN KEY ("calendar_id") REFERENCES "business_calendars"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "teams" ADD CONSTRAINT "teams_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_sites" ADD CONSTRAINT "user_sites_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_sites" ADD CONSTRAINT "user_sites_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "readiness_decisions" ADD CONSTRAINT "readiness_decisions_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holds" ADD CONSTRAINT "holds_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holds" ADD CONSTRAINT "holds_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "readiness_decisions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "holds" ADD CONSTRAINT "holds_released_by_id_fkey" FOREIGN KEY ("released_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_ship_to_id_fkey" FOREIGN KEY ("ship_to_id") REFERENCES "customer_locations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_planned_trip_id_fkey" FOREIGN KEY ("planned_trip_id") REFERENCES "trips"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_lines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "integration_documents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipment_documents" ADD CONSTRAINT "shipment_documents_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

