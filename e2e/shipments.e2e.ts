import { WORLD } from './fixtures/world';
import { expect, test } from './fixtures/test';

test.describe('as the warehouse supervisor of one site', () => {
  test.use({ role: 'WAREHOUSE_SUPERVISOR' });

  for (const [field, query] of [
    ['shipment ref', WORLD.homeShipment.ref],
    ['order ref', WORLD.homeShipment.orderRef],
    ['PO number', WORLD.homeShipment.po],
    ['tracking ref', WORLD.homeShipment.tracking],
  ] as const) {
    test(`search finds a shipment by ${field}`, async ({ page, shell }) => {
      await page.goto('/warehouse');
      await shell.search(query);

      await expect(page).toHaveURL(`/search?q=${encodeURIComponent(query)}`);
      await expect(page.getByRole('link', { name: WORLD.homeShipment.ref })).toBeVisible();
    });
  }

  test("search does not find another site's shipment", async ({ page }) => {
    await page.goto(`/search?q=${WORLD.otherShipment.ref}`);

    await expect(page.getByText('No shipment at your sites matches.')).toBeVisible();
  });

  test('the shipment page shows fields, milestones and holds', async ({ page }) => {
    await page.goto('/search?q=' + WORLD.homeShipment.po);
    await page.getByRole('link', { name: WORLD.homeShipment.ref }).click();

    await expect(
      page.getByRole('heading', { name: `Shipment ${WORLD.homeShipment.ref}` }),
    ).toBeVisible();
    const holds = page.getByRole('region', { name: 'Holds' });
    await expect(holds).toContainText('CREDIT');
    await expect(holds).toContainText('Over credit limit');
    await expect(page.getByRole('region', { name: 'Milestones' })).toContainText('Released');
  });

  test("another site's shipment page is not found", async ({ page }) => {
    const response = await page.goto(`/shipments/${WORLD.otherShipment.ref}`);

    expect(response?.status()).toBe(404);
  });
});

test.describe('as the executive, who sees every site', () => {
  test.use({ role: 'EXECUTIVE' });

  test("finds the other site's shipment", async ({ page }) => {
    await page.goto(`/search?q=${WORLD.otherShipment.ref}`);

    await expect(page.getByRole('link', { name: WORLD.otherShipment.ref })).toBeVisible();
  });
});
