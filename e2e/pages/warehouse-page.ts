import type { Locator, Page } from '@playwright/test';

/** The supervisor's floor board and the record-by-hand form. */
export class WarehousePage {
  readonly board: Locator;
  readonly form: Locator;
  readonly result: Locator;

  constructor(readonly page: Page) {
    this.board = page.getByRole('region', { name: 'Floor today' });
    this.form = page.getByRole('form', { name: 'Record by hand' });
    this.result = this.form.getByRole('status', { name: 'Result' });
  }

  async goto() {
    await this.page.goto('/warehouse');
  }

  row(ref: string): Locator {
    return this.board.locator(`tr[data-shipment="${ref}"]`);
  }

  async filter(status: string) {
    await this.board
      .getByRole('group', { name: 'Filter by status' })
      .locator(`[data-status="${status}"]`)
      .click();
  }

  /** Picks the shipment for the form from its board row. */
  async recordFor(ref: string) {
    await this.row(ref)
      .getByRole('button', { name: `Record by hand for ${ref}` })
      .click();
  }

  async recordStage(stage: {
    handlingUnits: string;
    weightKg: string;
    volumeM3: string;
    dock: string;
  }) {
    await this.page.getByLabel('Packed and staged').check();
    await this.form.getByLabel('Handling units').fill(stage.handlingUnits);
    await this.form.getByLabel('Weight (kg)').fill(stage.weightKg);
    await this.form.getByLabel('Volume (m³)').fill(stage.volumeM3);
    await this.form.getByLabel('Dock').fill(stage.dock);
    await this.form.getByRole('button', { name: 'Record stage' }).click();
  }
}
