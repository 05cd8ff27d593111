import type { UploadedImport } from '@/server/domain/imports/upload';
import type { DocumentUpload } from '@/server/domain/imports/upload-document';

// What POST /api/admin/uploads answers, as the page reads it (dates arrive as JSON strings).

export type UploadAnswer = ({ format: 'CSV' } & UploadedImport) | DocumentUpload;

export const UPLOAD_CHOICES = [
  { value: 'CSV:ORDERS', label: 'CSV: orders' },
  { value: 'CSV:INVENTORY', label: 'CSV: inventory on hand' },
  { value: 'CSV:BIN_LOCATIONS', label: 'CSV: bin locations' },
  { value: 'X12', label: 'X12 interchange' },
  { value: 'EPCIS', label: 'EPCIS 2.0 document' },
] as const;

export type UploadChoice = (typeof UPLOAD_CHOICES)[number]['value'];

/** Matches the route's limits: 64 MiB for CSV, 5 MiB for X12 and EPCIS. */
export function sizeLimitOf(choice: UploadChoice): number {
  return choice.startsWith('CSV') ? 64 * 1024 * 1024 : 5 * 1024 * 1024;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;

  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
