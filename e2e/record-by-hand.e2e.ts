import { expect, test } from './fixtures/test';
import { ShipmentPage } from './pages/shipment-page';
import { WarehousePage } from './pages/warehouse-page';
import { newOrderRef, picked, released, sendEvents } from './support/events-api';

// The WMS reported the release and the pick but not the stage; the supervisor records the
// stage by hand, and it goes through the same intake and gate as a partner's event.

test.describe('as the warehouse supervisor', () => {
  test.use({ role: 'WAREHOUSE_SUPERVISOR' });

  test('a stage recorded by hand shows on the shipment timeline', async ({ page, request }) => {
    const order = { orderRef: newOrderRef('HAND'), quantity: 12 };
    await sendEvents(request, [released(order), picked(order)]);

    const warehouse = new WarehousePage(page);
    await warehouse.goto();
    await expect(warehouse.row(order.orderRef)).toBeVisible({ timeout: 15_000 });
    await warehouse.recordFor(order.orderRef);
    await warehouse.recordStage({
      handlingUnits: '1',
      weightKg: '30',
      volumeM3: '0.2',
      dock: 'D2',
    });
    await expect(warehouse.result).toHaveAttribute('data-result', 'accepted');

    await warehouse.row(order.orderRef).getByRole('link', { name: order.orderRef }).click();
    const shipment = new ShipmentPage(page);
    await expect(shipment.timelineEvent('PACKED_STAGED')).toContainText('UI', { timeout: 15_000 });
    await expect(shipment.facts).toContainText('READY', { timeout: 15_000 });
  });

  test('a hand entry the schema refuses is answered with its reasons', async ({
    page,
    request,
  }) => {
    const order = { orderRef: newOrderRef('BAD'), quantity: 12 };
    await sendEvents(request, [released(order)]);

    const warehouse = new WarehousePage(page);
    await warehouse.goto();
    await expect(warehouse.row(order.orderRef)).toBeVisible({ timeout: 15_000 });
    await warehouse.recordFor(order.orderRef);
    await warehouse.recordStage({
      handlingUnits: '1',
      weightKg: '-3',
      volumeM3: '0.2',
      dock: 'D1',
    });

    await expect(warehouse.result).toHaveAttribute('data-result', 'rejected');
    await expect(warehouse.result).toContainText('payload.weight.value');
  });
});
