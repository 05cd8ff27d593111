import { startReceiver, type TestReceiver } from '../tests/webhooks/receiver';
import { GATE_WORLD } from './fixtures/gate-world';
import { expect, test } from './fixtures/test';
import { E2E_WEBHOOK_RECEIVER_PORT } from './support/e2e-env';
import { newOrderRef, picked, released, sendEvents, staged } from './support/events-api';

// Outbound webhooks through the browser: the admin subscribes a partner's receiver (a real HTTP
// server in this test) to the shipment records, copies the secret shown once, and a shipment
// sent through the partner API becomes READY. The receiver is down, so the delivery dies after
// its one attempt; the admin finds it among the dead letters, replays it once the receiver is
// back, and the delivery log shows both attempts.

const FLOW_TIMEOUT = 20_000;

test.describe('as the admin', () => {
  test.use({ role: 'ADMIN' });
  let receiver: TestReceiver;

  test.beforeEach(async () => {
    receiver = await startReceiver({ port: E2E_WEBHOOK_RECEIVER_PORT });
  });

  test.afterEach(async () => {
    await receiver.close();
  });

  test('subscribes a receiver, sees a dead letter, replays it and reads the attempts', async ({
    page,
    request,
  }) => {
    const name = `ERP e2e ${Date.now()}`;
    receiver.mode = { kind: 'fail', status: 503 };
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Manage webhooks' }).click();
    await expect(page).toHaveURL(/\/admin\/webhooks$/);
    const form = page.getByRole('form', { name: 'Create subscription' });
    // The partner whose key sends the events: it hears about the sites its key may work at.
    await form
      .getByLabel('Partner')
      .selectOption({ label: `${GATE_WORLD.partner} · E2E warehouse system` });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Target URL').fill(receiver.url);
    await form.getByRole('checkbox', { name: /Shipment record/ }).check();
    await form.getByLabel('Attempts before dead letter').fill('1');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    const secret = (await form.getByTestId('signing-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets = [secret];
    const row = page.locator(`tr[data-subscription="${name}"]`);
    await expect(row).toContainText('ACTIVE');

    const order = { orderRef: newOrderRef('HOOK'), quantity: 24 };
    await sendEvents(request, [released(order), picked(order), staged(order)]);
    await expect
      .poll(() => receiver.received.some((r) => r.body.includes(order.orderRef)), {
        timeout: FLOW_TIMEOUT,
      })
      .toBe(true);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await expect(page).toHaveURL(/\/admin\/webhooks\/dead-letters$/);
    await page.getByRole('combobox', { name: 'Subscription' }).selectOption({ label: name });
    const dead = page.locator('tr[data-status="DEAD"]');
    await expect(dead.first()).toBeVisible({ timeout: FLOW_TIMEOUT });
    receiver.mode = { kind: 'ok' };
    await page.getByRole('checkbox', { name: 'Select all shown' }).check();
    await page.getByRole('button', { name: /Replay selected/ }).click();
    await expect(page.getByRole('status')).toContainText('Replayed');
    await expect
      .poll(() => [...receiver.applied.values()].some((b) => b.includes(order.orderRef)), {
        timeout: FLOW_TIMEOUT,
      })
      .toBe(true);
    const deliveryId = [...receiver.applied.entries()].find(([, b]) =>
      b.includes(order.orderRef),
    )![0];

    await page.getByRole('link', { name: 'Delivery log' }).click();
    await expect(page).toHaveURL(/\/admin\/webhooks\/deliveries$/);
    await page.getByRole('combobox', { name: 'Subscription' }).selectOption({ label: name });
    await page.getByRole('combobox', { name: 'Status' }).selectOption('DELIVERED');
    const delivered = page.locator(`tr[data-delivery="${deliveryId}"]`);
    await expect(delivered).toContainText('DELIVERED', { timeout: FLOW_TIMEOUT });
    await delivered.getByRole('button', { name: 'Attempts' }).click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    await expect(attempts).toContainText('http error');
    await expect(attempts).toContainText('503');
    await expect(attempts).toContainText('success');

    await page.getByRole('link', { name: 'Subscriptions' }).click();
    await expect(page).toHaveURL(/\/admin\/webhooks$/);
    await row.getByRole('button', { name: `Rotate the secret of ${name}` }).click();
    await expect(page.getByTestId('signing-secret')).not.toHaveText(secret);
    await row.getByRole('button', { name: `Pause ${name}` }).click();
    await expect(row).toContainText('PAUSED');
    await row.getByRole('button', { name: `Delete ${name}` }).click();
    await row.getByRole('button', { name: `Confirm deleting ${name}` }).click();
    await expect(row).toHaveCount(0);
  });
});
