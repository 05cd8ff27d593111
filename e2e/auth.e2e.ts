import { DEMO_PASSWORD, DEMO_USERS } from '../server/auth/demo-users';
import { workspaceOf } from '../server/auth/workspaces';
import { expect, test } from './fixtures/test';

const ROLES = DEMO_USERS.map((user) => ({ ...user, workspace: workspaceOf(user.role) }));

for (const { email, name, role, workspace } of ROLES) {
  test(`${role} signs in and lands on ${workspace.path}`, async ({ page, loginPage, shell }) => {
    await loginPage.goto();
    await loginPage.signIn(email, DEMO_PASSWORD);

    await expect(page).toHaveURL(workspace.path);
    await expect(shell.currentUser).toContainText(name);
    await expect(shell.currentUser).toContainText(workspace.roleLabel);
    await expect(page.getByRole('region', { name: 'Shipments by status' })).toBeVisible();
  });

  test(`the demo login button signs in as ${workspace.roleLabel}`, async ({
    page,
    loginPage,
    shell,
  }) => {
    await loginPage.goto();
    await loginPage.demoButton(workspace.roleLabel).click();

    await expect(page).toHaveURL(workspace.path);
    await expect(shell.currentUser).toContainText(name);
  });
}

test('a wrong password shows the error and stays on /login', async ({ page, loginPage }) => {
  await loginPage.goto();
  await loginPage.signIn('dispatcher@demo.example', 'not-the-password');

  await expect(loginPage.error).toHaveText('Wrong e-mail or password');
  await expect(page).toHaveURL(/\/login/);
});

test('an unknown e-mail shows the same error', async ({ loginPage }) => {
  await loginPage.goto();
  await loginPage.signIn('nobody@demo.example', DEMO_PASSWORD);

  await expect(loginPage.error).toHaveText('Wrong e-mail or password');
});

test('an unauthenticated visit to /warehouse goes to /login and back after sign-in', async ({
  page,
  loginPage,
}) => {
  await page.goto('/warehouse');
  await expect(page).toHaveURL('/login?callbackUrl=%2Fwarehouse');

  await loginPage.signIn('supervisor@demo.example', DEMO_PASSWORD);
  await expect(page).toHaveURL('/warehouse');
});

test('signing out ends the session', async ({ page, loginPage, shell }) => {
  await loginPage.goto();
  await loginPage.demoButton('Dispatcher').click();
  await expect(page).toHaveURL('/dispatch');

  await shell.signOut();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/dispatch');
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdispatch/);
});
