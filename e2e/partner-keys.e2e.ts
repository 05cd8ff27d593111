import { randomBytes } from 'node:crypto';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { WORLD } from './fixtures/world';
import { expect, test } from './fixtures/test';
import { newOrderRef, released } from './support/events-api';

// An admin makes a partner and a key in the page; the key works against POST /api/v1/events
// over HTTP, a burst past its limit is answered 429 with Retry-After, and once the admin revokes
// it in the page the key is refused with 401.

function post(request: APIRequestContext, key: string, data: unknown): Promise<APIResponse> {
  return request.post('/api/v1/events', { headers: { authorization: `Bearer ${key}` }, data });
}

/** Waves of concurrent requests until one is refused for the rate; null if none ever is. */
async function burstUntilLimited(request: APIRequestContext, key: string) {
  for (let wave = 0; wave < 40; wave += 1) {
    // An empty event is refused (422) after the key is checked: each one is charged, cheaply.
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(request, key, {})));
    const limited = answers.find((a) => a.status() === 429);
    if (limited) return { limited, sent: (wave + 1) * 40 };
    expect(answers.map((a) => a.status())).toEqual(answers.map(() => 422));
  }

  return null;
}

test.describe('partner API keys', () => {
  test.use({ role: 'ADMIN' });

  test('a key made in the admin page works, hits its limit cleanly, and stops when revoked', async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const code = `E2E_${randomBytes(3).toString('hex').toUpperCase()}`;
    await page.goto('/admin/partners');
    const newPartner = page.getByRole('form', { name: 'Create partner' });
    await newPartner.getByLabel('Code').fill(code);
    await newPartner.getByLabel('Name').fill('E2E warehouse system');
    await newPartner.getByRole('button', { name: 'Create partner' }).click();

    const panel = page.getByRole('region', { name: `${code} · E2E warehouse system` });
    const form = panel.getByRole('form', { name: `Create key for ${code}` });
    await form.getByLabel('Key name').fill('WMS production');
    await form.getByRole('checkbox', { name: WORLD.homeSite, exact: true }).check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const key = (await form.getByTestId('new-api-key').textContent())?.trim() ?? '';
    expect(key).toMatch(/^ctk_[a-z0-9]{8}_[A-Za-z0-9_-]{32}$/);
    const prefix = key.slice(4, 12);
    const row = panel.locator(`tr[data-key-prefix="${prefix}"]`);
    await expect(row).toContainText(WORLD.homeSite);
    await expect(row).toContainText('/s');

    const event = released({ orderRef: newOrderRef('KEY'), quantity: 3 });
    const accepted = await post(request, key, event);
    expect(accepted.status(), await accepted.text()).toBe(200);
    expect(await accepted.json()).toMatchObject({ accepted: 1 });
    expect(accepted.headers()['x-ratelimit-limit']).toMatch(/^\d+$/);
    // Its last use is recorded (best effort, off the request's path) and shown.
    await expect(async () => {
      await page.reload();
      await expect(row).not.toContainText('—', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });

    const burst = await burstUntilLimited(request, key);
    expect(burst, 'no request was refused for the rate').not.toBeNull();
    const limited = burst!.limited;
    test
      .info()
      .annotations.push({ type: 'burst', description: `429 within ${burst!.sent} requests` });
    expect(Number(limited.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: 'RATE_LIMITED' });

    await panel.getByRole('button', { name: `Revoke ${prefix}` }).click();
    await expect(panel.locator(`tr[data-key-prefix="${prefix}"]`)).toContainText('revoked');
    // Past the limit's window the request reaches the key check, which refuses the revoked key.
    await expect
      .poll(async () => (await post(request, key, event)).status(), { timeout: 20_000 })
      .toBe(401);
  });
});
