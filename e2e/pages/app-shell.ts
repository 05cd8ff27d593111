import type { Locator, Page } from '@playwright/test';

/** The signed-in frame around every page: top bar, search, sign out. */
export class AppShell {
  readonly currentUser: Locator;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.currentUser = page.getByTestId('current-user');
    this.heading = page.getByRole('heading', { level: 1 });
  }

  async search(query: string) {
    await this.page.getByRole('searchbox', { name: 'Search shipments' }).fill(query);
    await this.page.getByRole('searchbox', { name: 'Search shipments' }).press('Enter');
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }
}
