import { WORKSPACES } from '../server/auth/workspaces';
import { expect, test } from './fixtures/test';

// Each role against the next role's workspace, round the table.
const CASES = WORKSPACES.map((own, i) => ({
  own,
  foreign: WORKSPACES[(i + 1) % WORKSPACES.length]!,
}));

for (const { own, foreign } of CASES) {
  test.describe(`as ${own.roleLabel}`, () => {
    test.use({ role: own.role });

    test(`${foreign.path} is refused`, async ({ page }) => {
      await page.goto(foreign.path);

      await expect(page).toHaveURL(/\/forbidden/);
      await expect(
        page.getByRole('heading', { name: 'This workspace belongs to another role' }),
      ).toBeVisible();
    });

    test(`/ goes to ${own.path}`, async ({ page }) => {
      await page.goto('/');

      await expect(page).toHaveURL(own.path);
    });
  });
}

test.describe('as Dispatcher', () => {
  test.use({ role: 'DISPATCHER' });

  test('the admin users page and the users API are refused', async ({ page }) => {
    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/forbidden/);

    const api = await page.request.get('/api/trpc/users.list');
    expect(api.status()).toBe(403);
  });
});

test('the tRPC API refuses a request without a session', async ({ request }) => {
  const response = await request.get('/api/trpc/shipments.statusCounts');

  expect(response.status()).toBe(401);
});
