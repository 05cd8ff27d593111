import { expect, test } from './fixtures/test';
import { ShipmentPage } from './pages/shipment-page';
import { WarehousePage } from './pages/warehouse-page';
import { newOrderRef, picked, released, sendEvents, staged } from './support/events-api';

// The main job through the browser: a WMS sends an order's release, pick and stage to the
// partner API over real HTTP; the worker applies them and runs the readiness gate; the
// supervisor sees the outcome on the shipment page and on the floor board.

const GATE_TIMEOUT = 15_000;

test.describe('as the warehouse supervisor', () => {
  test.use({ role: 'WAREHOUSE_SUPERVISOR' });

  test('a complete order sent through the API becomes READY and books a slot', async ({
    page,
    request,
  }) => {
    const order = { orderRef: newOrderRef('READY'), quantity: 24 };
    await sendEvents(request, [released(order), picked(order), staged(order)]);

    const shipment = new ShipmentPage(page);
    await shipment.open(order.orderRef);

    await expect(shipment.facts).toContainText('READY', { timeout: GATE_TIMEOUT });
    await expect(shipment.decision).toContainText('PASS');
    await expect(shipment.dispatch.locator('[data-booking-status="BOOKED"]')).toBeVisible({
      timeout: GATE_TIMEOUT,
    });
    await expect(shipment.dispatch).toContainText('Dock door');
    await expect(shipment.timelineEvent('PACKED_STAGED')).toContainText('API');
  });

  test('a short pick is HELD with its reason on the board and the shipment page', async ({
    page,
    request,
  }) => {
    const order = { orderRef: newOrderRef('SHORT'), quantity: 24 };
    await sendEvents(request, [released(order), picked(order, 20), staged(order)]);

    const warehouse = new WarehousePage(page);
    await warehouse.goto();
    const row = warehouse.row(order.orderRef);
    await expect(row.locator('[data-hold-reason="QUANTITY_VARIANCE"]')).toBeVisible({
      timeout: GATE_TIMEOUT,
    });
    await expect(row).toContainText('HELD');
    await warehouse.filter('HELD');
    await expect(row).toBeVisible();

    await row.getByRole('link', { name: order.orderRef }).click();
    const shipment = new ShipmentPage(page);
    await expect(shipment.facts).toContainText('HELD');
    await expect(shipment.holds).toContainText('QUANTITY VARIANCE');
    await expect(shipment.check('COMPLETENESS')).toHaveAttribute('data-verdict', 'FAIL');
  });
});
