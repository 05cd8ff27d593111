import { GATE_WORLD } from './fixtures/gate-world';
import { WORLD } from './fixtures/world';
import { E2E_BASE_URL } from './support/e2e-env';
import { expect, test } from './fixtures/test';

// The admin uploads an orders CSV with one bad row through the page: the preview names the row,
// column and reason, the confirmed import runs as a job and its progress bar reaches 100 %.

test.use({ role: 'ADMIN' });

function ordersCsv(tag: string, orders: number): string {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const rows = ['Order Ref,Site,Customer,Ship To,Released At,Line No,SKU,Qty,UOM,Unit Price'];
  for (let i = 0; i < orders; i++) {
    const ref = `IMP-${tag}-${i}`;
    const head = `${ref},${WORLD.homeSite},${WORLD.customer.code},${WORLD.customer.shipTo},${at}`;
    rows.push(`${head},1,${GATE_WORLD.sku},2,EA,10.00`);
    rows.push(`${head},2,${i === 3 ? 'NO-SUCH-SKU' : GATE_WORLD.sku},1,CS,120.00`);
  }

  return rows.join('\n') + '\n';
}

test('uploads an orders CSV, previews its bad row and imports the rest', async ({ page }) => {
  const tag = Date.now().toString(36).toUpperCase();
  await page.goto('/admin/imports');
  const form = page.getByRole('form', { name: 'Upload a file' });
  await form
    .getByLabel('Partner')
    .selectOption({ label: `${GATE_WORLD.partner} — E2E warehouse system` });
  await form.getByLabel('File kind').selectOption({ label: 'CSV: orders' });
  await form.getByLabel('File', { exact: true }).setInputFiles({
    name: `orders-${tag}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(ordersCsv(tag, 400)),
  });
  await form.getByRole('button', { name: 'Upload' }).click();

  const panel = page.getByRole('region', { name: `Import of orders: orders-${tag}.csv` });
  const mapping = panel.getByRole('table', { name: 'Column mapping' });
  await expect(mapping.getByRole('row', { name: 'Order Ref order_ref' })).toBeVisible();
  await expect(mapping.getByRole('row', { name: 'Qty quantity' })).toBeVisible();
  // Order 3's second line is line 9 (the header is line 1, two lines per order).
  const errors = panel.getByRole('list', { name: 'Row errors' });
  await expect(errors).toContainText('Line 9, sku ("NO-SUCH-SKU"): unknown SKU NO-SUCH-SKU');
  await expect(errors).toContainText(`Line 8: order IMP-${tag}-3 is rejected for its line 9`);

  await panel.getByRole('button', { name: 'Confirm import' }).click();
  const progress = panel.getByRole('progressbar', { name: 'Import progress' });
  await expect(progress).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
  await expect(panel.getByText('COMPLETED')).toBeVisible();
  await expect(panel.getByText('798 imported')).toBeVisible();
  await expect(panel.getByText('2 rejected')).toBeVisible();

  const download = page.waitForEvent('download');
  await panel.getByRole('link', { name: 'Download all row errors (CSV)' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('line,column,value,reason');
  expect(csv).toContain('9,sku,NO-SUCH-SKU,unknown SKU NO-SUCH-SKU');

  const history = page.getByRole('table', { name: 'Past uploads' });
  await expect(history.getByRole('row', { name: new RegExp(`orders-${tag}\\.csv`) })).toContainText(
    '798 imported · 0 unchanged · 2 rejected',
  );
});

test('uploads an X12 interchange for a partner and shows its 997', async ({ page }) => {
  const { readFileSync } = await import('node:fs');
  const body = readFileSync('tests/fixtures/samples/x12/own-945.edi');
  await page.goto('/admin/imports');
  const form = page.getByRole('form', { name: 'Upload a file' });
  await form
    .getByLabel('Partner')
    .selectOption({ label: `${GATE_WORLD.partner} — E2E warehouse system` });
  await form.getByLabel('File kind').selectOption({ label: 'X12 interchange' });
  await form
    .getByLabel('File', { exact: true })
    .setInputFiles({ name: 'own-945.edi', mimeType: 'application/edi-x12', buffer: body });
  await form.getByRole('button', { name: 'Upload' }).click();

  const result = page.getByRole('region', { name: 'X12 interchange processed' });
  await expect(result.getByText(/^945 \d+: /)).toBeVisible();
  await expect(result.getByLabel('997 acknowledgement')).toContainText('AK9*');
  await expect(
    page.getByRole('table', { name: 'Past uploads' }).getByRole('row', { name: /X12/ }).first(),
  ).toBeVisible();
});

test('the upload route answers bad requests with a reason', async ({ page, playwright }) => {
  const bad = await page.request.post('/api/admin/uploads?format=CSV&kind=PALLETS&partnerId=x', {
    data: 'a,b\n',
  });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { reason: string }).reason).toMatch(
    /partnerId: partnerId must be a partner id; kind: kind must be ORDERS, INVENTORY or BIN_LOCATIONS/,
  );

  const partners = await page.request.get('/api/trpc/imports.partners');
  const partnerId = ((await partners.json()) as { result: { data: { json: { id: string }[] } } })
    .result.data.json[0]!.id;
  const tooLarge = await page.request.post(`/api/admin/uploads?format=X12&partnerId=${partnerId}`, {
    data: Buffer.alloc(6 * 1024 * 1024, 'x'),
  });
  expect(tooLarge.status()).toBe(413);
  expect(((await tooLarge.json()) as { reason: string }).reason).toMatch(/at most 5242880 bytes/);

  // "Café" saved as Windows-1252: é is one byte that is not UTF-8.
  const latin1 = await page.request.post(
    `/api/admin/uploads?format=CSV&kind=BIN_LOCATIONS&partnerId=${partnerId}`,
    { data: Buffer.from('site,bin\nE2E-WH1,Caf\xe9-01\n', 'latin1') },
  );
  expect(latin1.status()).toBe(400);
  expect(((await latin1.json()) as { reason: string }).reason).toMatch(/save it as CSV UTF-8/);

  const anonymous = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const refused = await anonymous.post(`/api/admin/uploads?format=X12&partnerId=${partnerId}`, {
    data: 'ISA',
  });
  expect(refused.status()).toBe(401);
  await anonymous.dispose();
});

test.describe('as a warehouse supervisor', () => {
  test.use({ role: 'WAREHOUSE_SUPERVISOR' });

  test('imports bin locations into their own site only', async ({ page }) => {
    const tag = Date.now().toString(36).toUpperCase();
    await page.goto('/warehouse/imports');
    const form = page.getByRole('form', { name: 'Upload a file' });
    await expect(form.getByLabel('File kind').locator('option')).toHaveText([
      'CSV: orders',
      'CSV: inventory on hand',
      'CSV: bin locations',
    ]);
    await form
      .getByLabel('Partner')
      .selectOption({ label: `${GATE_WORLD.partner} — E2E warehouse system` });
    await form.getByLabel('File kind').selectOption({ label: 'CSV: bin locations' });
    const csv = `site,location,zone\n${WORLD.homeSite},BIN-${tag},A\n${WORLD.otherSite},BIN-${tag},B\n`;
    await form
      .getByLabel('File', { exact: true })
      .setInputFiles({ name: `bins-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await form.getByRole('button', { name: 'Upload' }).click();

    const panel = page.getByRole('region', { name: `Import of bin locations: bins-${tag}.csv` });
    await expect(panel.getByRole('list', { name: 'Row errors' })).toContainText(
      `Line 3, site ("${WORLD.otherSite}"): site ${WORLD.otherSite} is not one of your sites`,
    );
    await panel.getByRole('button', { name: 'Confirm import' }).click();
    await expect(panel.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
    await expect(panel.getByText('1 imported')).toBeVisible();
  });
});
