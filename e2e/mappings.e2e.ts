import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GATE_WORLD } from './fixtures/gate-world';
import { WORLD } from './fixtures/world';
import { expect, test } from './fixtures/test';

// An admin uploads EdiEngine's 940 for the e2e partner: none of its references match, so its
// order is held and the mappings page lists what it waits for. The admin maps the depositor from
// that list (a wrong customer code first, refused with the reason), sees the mapping in the
// table, the depositor leave the waiting list once the re-read ran, then edits and deletes it.

test.use({ role: 'ADMIN' });

const SAMPLE = path.resolve(import.meta.dirname, '../tests/fixtures/samples/x12/ediengine-940.edi');

/** The sample under a fresh ISA13, so that a rerun is not answered as a duplicate interchange. */
function fresh940(): string {
  const control = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');

  return readFileSync(SAMPLE, 'utf8')
    .replace('*000003438*0*P*', `*${control}*0*P*`)
    .replace('IEA*1*000003438', `IEA*1*${control}`);
}

test('maps a reference a held document waits for, from the waiting list', async ({ page }) => {
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto('/admin/imports');
  const form = page.getByRole('form', { name: 'Upload a file' });
  await form
    .getByLabel('Partner')
    .selectOption({ label: `${GATE_WORLD.partner} — E2E warehouse system` });
  await form.getByLabel('File kind').selectOption({ label: 'X12 interchange' });
  await form.getByLabel('File', { exact: true }).setInputFiles({
    name: 'ediengine-940.edi',
    mimeType: 'application/edi-x12',
    buffer: Buffer.from(fresh940()),
  });
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('region', { name: 'X12 interchange processed' })).toBeVisible();

  await page.goto('/admin');
  await page.getByRole('link', { name: 'Manage mappings' }).click();
  const mappings = page.getByRole('region', { name: 'Mappings' });
  await mappings
    .getByLabel('Partner')
    .selectOption({ label: `${GATE_WORLD.partner} (E2E warehouse system)` });
  const waiting = page.getByRole('list', { name: 'Unmatched references' });
  const depositor = waiting
    .getByRole('listitem')
    .filter({ hasText: `partner id 0000000000001 of partner ${GATE_WORLD.partner}` });
  await expect(depositor).toBeVisible();
  await expect(waiting).toContainText('GTIN 00000000000330');

  await depositor.getByRole('button', { name: 'Map' }).click();
  const draft = page.getByRole('form', { name: 'New mapping' });
  await expect(draft.getByLabel("Partner's identifier")).toHaveValue('0000000000001');
  await draft.getByLabel('Customer code').fill('NO-SUCH-CUSTOMER');
  await draft.getByRole('button', { name: 'Add mapping' }).click();
  await expect(draft.getByRole('alert')).toHaveText('No customer with code NO-SUCH-CUSTOMER');
  await draft.getByLabel('Customer code').fill(WORLD.customer.code);
  await draft.getByRole('button', { name: 'Add mapping' }).click();

  const row = mappings.getByRole('row').filter({ hasText: '0000000000001' });
  await expect(row).toContainText(`customer ${WORLD.customer.code}`);
  await expect(depositor).toHaveCount(0, { timeout: 20_000 });
  await expect(waiting).toContainText('GTIN 00000000000330');

  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit mapping' });
  await edit.getByLabel('Note (optional)').fill('their depositor number');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row).toContainText('their depositor number');
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
});
