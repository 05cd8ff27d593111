import { createCalendar } from './fixtures/approvals-world';
import { expect, test } from './fixtures/test';

// The admin's calendar editor in the browser, on a calendar of its own (no site uses it, so no
// other spec's timers move): a typo is caught before saving, a region with no known holidays is
// refused by the server with its reason, and a good change is saved, versioned and shown.

test.use({ role: 'ADMIN' });

test('an admin edits working hours, holidays and closures of a calendar', async ({ page }) => {
  const code = await createCalendar();
  await page.goto('/admin/calendars');
  const panel = page.getByRole('region', { name: `${code} · Editable weekdays` });
  await expect(panel).toContainText('Mon 08:00-18:00');
  await expect(panel).toContainText('Sat closed');
  await panel.getByRole('button', { name: 'Edit' }).click();

  const form = panel.getByRole('form', { name: `Calendar ${code}` });
  await form.getByLabel('Saturday hours').fill('9-13');
  await form.getByRole('button', { name: 'Save and move timers' }).click();
  await expect(form.getByRole('alert')).toContainText('Saturday: "9-13" is not HH:MM-HH:MM');

  await form.getByLabel('Saturday hours').fill('09:00-13:00');
  await form.getByLabel('Holiday country').fill('QQ');
  await form.getByRole('button', { name: 'Save and move timers' }).click();
  await expect(form.getByRole('alert')).toContainText('no public holidays are known for QQ');

  await form.getByLabel('Holiday country').fill('US');
  await form.getByLabel('Holiday state').fill('IL');
  await form.getByLabel('Closures').fill('2026-12-24 Christmas Eve');
  await form.getByRole('button', { name: 'Save and move timers' }).click();
  await expect(form.getByRole('status')).toContainText('Saved: version 2, 0 open exceptions');

  await page.reload();
  const saved = page.getByRole('region', { name: `${code} · Editable weekdays` });
  await expect(saved).toContainText('Sat 09:00-13:00');
  await expect(saved).toContainText('holidays US-IL');
  await expect(saved).toContainText('1 closures');
});
