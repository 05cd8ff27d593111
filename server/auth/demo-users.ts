import type { Role } from '../db/generated/enums';

// The demo world's people: one per role, all with the same published password. The seed creates
// them, the login page offers one button each while the `demo.world` setting exists, and the e2e
// fixture creates them on its own database.
export const DEMO_PASSWORD = 'demo-control-tower';

/** The settings row whose presence marks a database as the demo world. */
export const DEMO_WORLD_SETTING = 'demo.world';

export interface DemoUser {
  email: string;
  role: Role;
  name: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: 'supervisor@demo.example', role: 'WAREHOUSE_SUPERVISOR', name: 'Sam Supervisor' },
  { email: 'dispatcher@demo.example', role: 'DISPATCHER', name: 'Dana Dispatcher' },
  { email: 'billing@demo.example', role: 'BILLING_ANALYST', name: 'Bea Billing' },
  { email: 'executive@demo.example', role: 'EXECUTIVE', name: 'Eli Executive' },
  { email: 'admin@demo.example', role: 'ADMIN', name: 'Ada Admin' },
];

export function demoUserFor(role: Role): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.role === role);
}
