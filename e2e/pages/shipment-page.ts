import { expect, type Locator, type Page } from '@playwright/test';

/** The shipment page: facts, decision record, holds, branches, timeline, exceptions. */
export class ShipmentPage {
  readonly facts: Locator;
  readonly decision: Locator;
  readonly holds: Locator;
  readonly dispatch: Locator;
  readonly billing: Locator;
  readonly timeline: Locator;

  constructor(readonly page: Page) {
    this.facts = page.getByRole('region', { name: 'Shipment', exact: true });
    this.decision = page.getByRole('region', { name: 'Decision record' });
    this.holds = page.getByRole('region', { name: 'Holds' });
    this.dispatch = page.getByRole('region', { name: 'Dispatch' });
    this.billing = page.getByRole('region', { name: 'Billing' });
    this.timeline = page.getByRole('region', { name: 'Timeline' });
  }

  /**
   * Opens the page of a shipment that the apply job may not have created yet: reloads until it
   * exists. The page then follows the jobs by itself.
   */
  async open(ref: string, timeout = 15_000) {
    const heading = this.page.getByRole('heading', { name: `Shipment ${ref}` });
    await expect(async () => {
      await this.page.goto(`/shipments/${encodeURIComponent(ref)}`);
      await expect(heading).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout });
  }

  timelineEvent(type: string): Locator {
    return this.timeline.locator(`tr[data-event-type="${type}"]`);
  }

  check(name: string): Locator {
    return this.decision.locator(`li[data-check="${name}"]`);
  }
}
