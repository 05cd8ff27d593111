import type { Metadata } from 'next';
import { UsersAdmin } from '@/components/admin/users-admin';
import { PageHeader } from '@/components/ui/page-header';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Users' };

export default async function AdminUsersPage() {
  await requireRole('ADMIN');

  return (
    <>
      <PageHeader title="Users" />
      <UsersAdmin />
    </>
  );
}
