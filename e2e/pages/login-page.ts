import type { Locator, Page } from '@playwright/test';

export class LoginPage {
  readonly form: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('form', { name: 'Sign in' });
    // Scoped to the form: Next's route announcer is an alert too.
    this.error = this.form.getByRole('alert');
  }

  async goto(path = '/login') {
    await this.page.goto(path);
  }

  async signIn(email: string, password: string) {
    await this.form.getByLabel('E-mail').fill(email);
    await this.form.getByLabel('Password').fill(password);
    await this.form.getByRole('button', { name: 'Sign in' }).click();
  }

  demoButton(roleLabel: string): Locator {
    return this.page.getByRole('button', { name: `Demo login as ${roleLabel}` });
  }
}
