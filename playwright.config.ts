import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL } from './e2e/support/e2e-env';

// Debian's chromium (apt-get install -y chromium): Playwright cannot download its own browsers
// here. The flags keep it from reaching out and from needing a sandbox or a GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

// Global setup runs the job worker in the runner's own process; its per-job info lines would
// drown the test report. Set before global setup imports the server's logger.
process.env.LOG_LEVEL ??= 'warn';

export default defineConfig({
  testDir: 'e2e',
  // *.e2e.ts rather than *.spec.ts, so that vitest's default pattern never picks these up.
  testMatch: '**/*.e2e.ts',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: E2E_BASE_URL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
  },
});
