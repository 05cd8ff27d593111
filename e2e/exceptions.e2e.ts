import type { Locator, Page } from '@playwright/test';
import { exceptionIdFor, notifyDemoUser } from './fixtures/exceptions-world';
import { expect, test } from './fixtures/test';
import { ShipmentPage } from './pages/shipment-page';
import { newOrderRef, picked, released, sendEvents, staged } from './support/events-api';

// The exceptions workbench through the browser: a short pick sent by the WMS opens a quantity
// variance for the warehouse team; its supervisor sees it with its SLA clocks, acknowledges it
// from the queue and resolves it on its detail page; a dispatcher's queue never shows it.

const GATE_TIMEOUT = 15_000;

class Workbench {
  readonly queue: Locator;

  constructor(readonly page: Page) {
    this.queue = page.getByRole('region', { name: 'Queue' });
  }

  async open(type: string) {
    await this.page.goto('/exceptions');
    await this.queue.getByRole('combobox', { name: 'Type' }).selectOption(type);
  }

  row(orderRef: string): Locator {
    return this.queue.locator('tr[data-exception-id]', {
      has: this.page.getByRole('link', { name: orderRef }),
    });
  }
}

async function sendShortPick(request: Parameters<typeof sendEvents>[0], label: string) {
  const order = { orderRef: newOrderRef(label), quantity: 24 };
  await sendEvents(request, [released(order), picked(order, 20), staged(order)]);

  return order.orderRef;
}

test.describe('as the warehouse supervisor', () => {
  test.use({ role: 'WAREHOUSE_SUPERVISOR' });

  test('a short pick is in the queue with its SLA clock, acknowledged and resolved', async ({
    page,
    request,
  }) => {
    const orderRef = await sendShortPick(request, 'EXC');
    const workbench = new Workbench(page);
    await workbench.open('QUANTITY_VARIANCE');
    const row = workbench.row(orderRef);
    await expect(row).toBeVisible({ timeout: GATE_TIMEOUT });
    await expect(row).toHaveAttribute('data-exception-type', 'QUANTITY_VARIANCE');
    const response = row.locator('[data-sla-clock="Response"]');
    await expect(response).toContainText(/\d+m left/);
    await expect(response).toHaveAttribute('data-breached', 'false');

    await row.getByRole('checkbox').check();
    await workbench.queue.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(row.locator('[data-status="ACKNOWLEDGED"]')).toBeVisible();
    await expect(row.locator('[data-sla-clock="Resolution"]')).toContainText('left');

    // Clicking a row puts the cursor on it; Enter opens its detail.
    await row.locator('td').nth(2).click();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Exception', exact: true })).toBeVisible();
    await page.getByLabel('Resolution code').fill('RECOUNTED');
    await page.getByLabel('Resolution note').fill('Recounted the bin: 20 on hand, order short');
    await page.getByRole('button', { name: 'Resolve' }).click();

    await expect(page.getByTestId('exception-status')).toContainText('RESOLVED');
    const timeline = page.getByRole('list', { name: 'Audit timeline' });
    await expect(timeline.locator('[data-action="exception.acknowledged"]')).toBeVisible();
    await expect(timeline.locator('[data-action="exception.resolved"]')).toContainText(
      'Recounted the bin',
    );
  });
});

test.describe('as the dispatcher', () => {
  test.use({ role: 'DISPATCHER' });

  test('the queue does not show the warehouse team’s exceptions', async ({ page, request }) => {
    const orderRef = await sendShortPick(request, 'EXCD');
    const shipment = new ShipmentPage(page);
    await shipment.open(orderRef);
    await expect(shipment.holds).toContainText('QUANTITY VARIANCE', { timeout: GATE_TIMEOUT });

    const workbench = new Workbench(page);
    await workbench.open('QUANTITY_VARIANCE');
    await expect(workbench.queue).toContainText('Nothing in the queue.');
    await expect(workbench.row(orderRef)).toHaveCount(0);

    await page.goto(`/exceptions/${await exceptionIdFor(orderRef, 'QUANTITY_VARIANCE')}`);
    await expect(page.getByRole('main').getByRole('alert')).toContainText(
      'You may not act on this exception',
    );
  });
});

test.describe('as the executive', () => {
  test.use({ role: 'EXECUTIVE' });

  test('the inbox lists a notification, the bell counts it, and it can be marked read', async ({
    page,
  }) => {
    const title = await notifyDemoUser('EXECUTIVE', '/exceptions');
    await page.goto('/inbox');
    const bell = page.getByRole('link', { name: /^Inbox/ });
    await expect(bell).toHaveAccessibleName(/unread/);
    const item = page
      .getByRole('list', { name: 'Notifications' })
      .locator('li', { hasText: title });
    await expect(item).toHaveAttribute('data-unread', 'true');

    await item.getByRole('button', { name: 'Mark read' }).click();
    await expect(item).toHaveAttribute('data-unread', 'false');
    await expect(bell).toHaveAccessibleName('Inbox');
  });
});
