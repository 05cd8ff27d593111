import type { Role } from '../db/generated/enums';

// Each role has one workspace, and only that role may open it. Pure data: the proxy, the
// server layouts and the navigation all read it, so it imports nothing that needs a server.

export interface NavLink {
  href: string;
  label: string;
}

export interface Workspace {
  role: Role;
  path: string;
  title: string;
  roleLabel: string;
  links: readonly NavLink[];
}

export const WORKSPACES: readonly Workspace[] = [
  {
    role: 'WAREHOUSE_SUPERVISOR',
    path: '/warehouse',
    title: 'Warehouse',
    roleLabel: 'Warehouse supervisor',
    links: [
      { href: '/warehouse', label: 'Floor' },
      { href: '/warehouse/imports', label: 'Imports' },
    ],
  },
  {
    role: 'DISPATCHER',
    path: '/dispatch',
    title: 'Dispatch',
    roleLabel: 'Dispatcher',
    links: [{ href: '/dispatch', label: 'Dispatch board' }],
  },
  {
    role: 'BILLING_ANALYST',
    path: '/billing',
    title: 'Billing',
    roleLabel: 'Billing analyst',
    links: [{ href: '/billing', label: 'Billing queue' }],
  },
  {
    role: 'EXECUTIVE',
    path: '/executive',
    title: 'Executive',
    roleLabel: 'Executive',
    links: [{ href: '/executive', label: 'Overview' }],
  },
  {
    role: 'ADMIN',
    path: '/admin',
    title: 'Administration',
    roleLabel: 'Administrator',
    links: [
      { href: '/admin', label: 'Overview' },
      { href: '/admin/users', label: 'Users' },
      { href: '/admin/imports', label: 'Uploads' },
    ],
  },
];

export function workspaceOf(role: Role): Workspace {
  const workspace = WORKSPACES.find((w) => w.role === role);
  if (!workspace) throw new Error(`no workspace for role ${role}`);

  return workspace;
}

/** The workspace a path lies in, or undefined for shared pages (shipments, search). */
export function workspaceAt(pathname: string): Workspace | undefined {
  return WORKSPACES.find((w) => pathname === w.path || pathname.startsWith(`${w.path}/`));
}

/** Whether a signed-in user of this role may open the path. */
export function mayOpen(role: Role, pathname: string): boolean {
  const workspace = workspaceAt(pathname);

  return !workspace || workspace.role === role;
}
