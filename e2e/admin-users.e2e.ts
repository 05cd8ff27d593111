import type { Page } from '@playwright/test';
import { WORLD } from './fixtures/world';
import { expect, signInAs, test } from './fixtures/test';
import { LoginPage } from './pages/login-page';

async function createUserViaUi(
  page: Page,
  roleLabel: string,
): Promise<{ email: string; password: string }> {
  const email = `new.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.goto('/admin/users');
  const form = page.getByRole('form', { name: 'Create user' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Name').fill('Nia New');
  await form.getByLabel('Role').selectOption({ label: roleLabel });
  await form.getByRole('checkbox', { name: WORLD.homeSite }).check();
  await form.getByRole('button', { name: 'Create user' }).click();
  const password = (await page.getByTestId('initial-password').textContent())?.trim() ?? '';
  expect(password).toHaveLength(20);
  await expect(page.getByRole('row', { name: new RegExp(email) })).toBeVisible();

  return { email, password };
}

test.describe('as the admin', () => {
  test.use({ role: 'ADMIN' });

  test('creates a user who can sign in, then deactivates them', async ({ page, browser }) => {
    const { email, password } = await createUserViaUi(page, 'Dispatcher');
    const other = await browser.newPage();
    await signInAs(other, email, password);
    await other.goto('/');
    await expect(other).toHaveURL('/dispatch');

    await page.getByRole('button', { name: `Edit ${email}` }).click();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('deactivated');

    // The live session is refused at once, and so is a new sign-in.
    await other.goto('/dispatch');
    await expect(other).toHaveURL(/\/login/);
    const login = new LoginPage(other);
    await login.signIn(email, password);
    await expect(login.error).toContainText('deactivated');
    await other.close();
  });

  test("a changed role moves the user's session to the new workspace", async ({
    page,
    browser,
  }) => {
    const { email, password } = await createUserViaUi(page, 'Dispatcher');
    const other = await browser.newPage();
    await signInAs(other, email, password);

    await page.getByRole('button', { name: `Edit ${email}` }).click();
    const edit = page.getByRole('form', { name: 'Edit user' });
    await edit.getByLabel('Role').selectOption({ label: 'Billing analyst' });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(edit.getByRole('status')).toHaveText('Saved.');

    await other.goto('/');
    await expect(other).toHaveURL('/billing');
    await other.goto('/dispatch');
    await expect(other).toHaveURL(/\/forbidden/);
    await other.close();
  });

  test('cannot deactivate their own account', async ({ page }) => {
    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'Edit admin@demo.example' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).click();

    const panel = page.getByRole('region', { name: 'Edit admin@demo.example' });
    await expect(panel.getByRole('alert')).toHaveText('You cannot deactivate your own account');
  });
});
