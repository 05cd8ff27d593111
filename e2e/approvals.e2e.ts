import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD, demoUserFor } from '../server/auth/demo-users';
import { createPerson, pendingRequestIdFor } from './fixtures/approvals-world';
import { exceptionIdFor } from './fixtures/exceptions-world';
import { expect, signInAs, test } from './fixtures/test';
import { ShipmentPage } from './pages/shipment-page';
import { newOrderRef, picked, released, sendEvents, staged } from './support/events-api';

// An approval chain end to end, in the browser and over the real API: an admin adds a goods
// value rule; a WMS sends an order above it and the gate holds the shipment as awaiting
// approval; a team lead rejects it; a site manager asks again with a new reason and so becomes
// the requester, whom the product does not let decide it (not listed, and refused over HTTP);
// the team lead approves, the gate runs again and the shipment becomes READY.

const GATE_TIMEOUT = 20_000;
// Only this spec's orders are worth this much: 600 widgets at 10.00. Everyone else's pass.
const QUANTITY = 600;

async function signedInPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email, DEMO_PASSWORD);

  return page;
}

function pendingRow(page: Page, orderRef: string) {
  return page
    .getByRole('list', { name: 'Pending approvals' })
    .getByRole('listitem')
    .filter({ hasText: orderRef });
}

test('a value rule holds a shipment until an approver other than the requester approves it', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const suffix = Date.now().toString(36);

  const admin = await signedInPage(browser, demoUserFor('ADMIN')!.email);
  await admin.goto('/approvals');
  const form = admin.getByRole('form', { name: 'New rule' });
  await form.getByLabel('Name').fill(`Goods over 5000 (${suffix})`);
  await form.getByLabel('Kind').selectOption('GOODS_VALUE');
  await form.getByLabel('Threshold').fill('5000');
  await form.getByLabel('Role').selectOption('WAREHOUSE_SUPERVISOR');
  await form.getByLabel('Level').selectOption('TEAM_LEAD');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(admin.getByRole('list', { name: 'Approval rules' })).toContainText(
    `Goods over 5000 (${suffix})`,
  );

  const order = { orderRef: newOrderRef('APPROVE'), quantity: QUANTITY };
  await sendEvents(request, [released(order), picked(order), staged(order)]);

  const lead = await signedInPage(
    browser,
    await createPerson('WAREHOUSE_SUPERVISOR', 'TEAM_LEAD', 'Lee Lead'),
  );
  const shipment = new ShipmentPage(lead);
  await shipment.open(order.orderRef);
  await expect(shipment.facts).toContainText('HELD', { timeout: GATE_TIMEOUT });
  await expect(shipment.holds).toContainText('AWAITING APPROVAL');

  await lead.goto('/approvals');
  const row = pendingRow(lead, order.orderRef);
  await row.getByLabel(`Reason for ${order.orderRef}`).fill('no insurance certificate on file');
  await row.getByRole('button', { name: 'Reject' }).click();
  await expect(row).toHaveCount(0);

  const requesterEmail = await createPerson(
    'WAREHOUSE_SUPERVISOR',
    'SITE_MANAGER',
    'Rita Requester',
  );
  const requester = await signedInPage(browser, requesterEmail);
  const asking = new ShipmentPage(requester);
  await asking.open(order.orderRef);
  const requests = requester.getByRole('list', { name: 'Approval requests of this shipment' });
  await expect(requests).toContainText('no insurance certificate on file');
  await requests.getByLabel('New reason').fill('insurance certificate received from the customer');
  await requests.getByRole('button', { name: 'Ask again' }).click();
  await expect(requests).toContainText('insurance certificate received from the customer');

  // The requester is of the rule's role and above its level, and still may not decide it.
  await requester.goto('/approvals');
  await expect(requester.getByRole('region', { name: 'Waiting for your decision' })).toBeVisible();
  await expect(pendingRow(requester, order.orderRef)).toHaveCount(0);
  const forced = await requester.request.post('/api/trpc/approvals.decide', {
    data: {
      json: { requestId: await pendingRequestIdFor(order.orderRef), approve: true, note: 'mine' },
    },
  });
  expect(forced.status()).toBe(403);
  expect(await forced.text()).toContain('You cannot decide your own request');

  await lead.goto('/approvals');
  const again = pendingRow(lead, order.orderRef);
  await expect(again).toContainText('insurance certificate received');
  await again.getByLabel(`Reason for ${order.orderRef}`).fill('certificate checked');
  await again.getByRole('button', { name: 'Approve' }).click();
  await expect(again).toHaveCount(0);

  await shipment.open(order.orderRef);
  await expect(shipment.facts).toContainText('READY', { timeout: GATE_TIMEOUT });
  await expect(shipment.check('APPROVAL')).toHaveAttribute('data-verdict', 'PASS');
});

test('a supervisor asks from the exception to override a short-pick hold; a site manager approves', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const admin = await signedInPage(browser, demoUserFor('ADMIN')!.email);
  await admin.goto('/approvals');
  const form = admin.getByRole('form', { name: 'New rule' });
  await form.getByLabel('Name').fill('Quantity variance overrides');
  await form.getByLabel('Kind').selectOption('HOLD_OVERRIDE');
  await form.getByLabel('Hold').selectOption('QUANTITY_VARIANCE');
  await form.getByLabel('Role').selectOption('WAREHOUSE_SUPERVISOR');
  await form.getByLabel('Level').selectOption('SITE_MANAGER');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(admin.getByRole('list', { name: 'Approval rules' })).toContainText(
    'Quantity variance overrides',
  );

  const order = { orderRef: newOrderRef('OVERRIDE'), quantity: 24 };
  await sendEvents(request, [released(order), picked(order, 20), staged(order)]);
  let exceptionId = '';
  await expect(async () => {
    exceptionId = await exceptionIdFor(order.orderRef, 'QUANTITY_VARIANCE');
  }).toPass({ timeout: GATE_TIMEOUT });

  const supervisor = await signedInPage(browser, demoUserFor('WAREHOUSE_SUPERVISOR')!.email);
  await supervisor.goto(`/exceptions/${exceptionId}`);
  const overrides = supervisor.getByRole('region', { name: 'Override a hold' });
  await overrides.getByLabel('Override reason for QUANTITY_VARIANCE').fill('customer takes 20');
  await overrides.getByRole('button', { name: 'Ask to override' }).click();
  await expect(overrides).toContainText('waiting for approval');

  const manager = await signedInPage(
    browser,
    await createPerson('WAREHOUSE_SUPERVISOR', 'SITE_MANAGER', 'Mia Manager'),
  );
  await manager.goto('/approvals');
  const row = pendingRow(manager, order.orderRef);
  await expect(row).toContainText('Override of the QUANTITY_VARIANCE hold');
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(row).toHaveCount(0);

  const shipment = new ShipmentPage(manager);
  await shipment.open(order.orderRef);
  await expect(shipment.facts).toContainText('READY', { timeout: GATE_TIMEOUT });
  await expect(shipment.check('COMPLETENESS')).toHaveAttribute('data-verdict', 'PASS');
  await expect(shipment.check('COMPLETENESS')).toContainText('overridden: customer takes 20');
});
