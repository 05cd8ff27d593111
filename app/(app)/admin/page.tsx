import type { Metadata } from 'next';
import Link from 'next/link';
import { WorkspaceLanding } from '@/components/shell/workspace-landing';
import { Panel } from '@/components/ui/panel';
import { serverApi } from '@/server/api/server-caller';
import { requireRole } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Administration' };

export default async function AdminPage() {
  await requireRole('ADMIN');
  const api = await serverApi();
  const [{ counts }, users] = await Promise.all([api.shipments.statusCounts(), api.users.list()]);
  const active = users.filter((u) => u.active).length;

  return (
    <WorkspaceLanding title="Administration" counts={counts}>
      <Panel title="Users">
        <p>
          <span className="font-mono text-2xl font-semibold">{active}</span>{' '}
          <span className="text-slate-500">active of {users.length}</span>
        </p>
        <Link
          href="/admin/users"
          className="mt-2 inline-block font-medium text-sky-700 hover:underline"
        >
          Manage users
        </Link>
      </Panel>
      <Panel title="Uploads and imports">
        <p className="text-slate-500">
          CSV orders, inventory and bin locations; X12 and EPCIS documents for a partner.
        </p>
        <Link
          href="/admin/imports"
          className="mt-2 inline-block font-medium text-sky-700 hover:underline"
        >
          Upload a file
        </Link>
      </Panel>
      <Panel title="Outbound webhooks">
        <p className="text-slate-500">
          Partners&apos; subscriptions to our events, the delivery log and the dead letters.
        </p>
        <Link
          href="/admin/webhooks"
          className="mt-2 inline-block font-medium text-sky-700 hover:underline"
        >
          Manage webhooks
        </Link>
      </Panel>
      <Panel title="Partner mappings">
        <p className="text-slate-500">
          Partners&apos; identifiers, GTINs, location and carrier codes mapped to ours; the
          references their documents wait for.
        </p>
        <Link
          href="/admin/mappings"
          className="mt-2 inline-block font-medium text-sky-700 hover:underline"
        >
          Manage mappings
        </Link>
      </Panel>
      <Panel title="Business calendars">
        <p className="text-slate-500">
          Each site&apos;s working hours, public holidays and closures; saving moves the SLA timers.
        </p>
        <Link
          href="/admin/calendars"
          className="mt-2 inline-block font-medium text-sky-700 hover:underline"
        >
          Edit calendars
        </Link>
      </Panel>
      <Panel title="Integration partners">
        <p className="text-slate-500">
          Partners and their API keys: scopes, rate limit, last use; create, rotate, revoke.
        </p>
        <Link
          href="/admin/partners"
          className="mt-2 inline-block font-medium text-sky-700 hover:underline"
        >
          Manage partner keys
        </Link>
      </Panel>
    </WorkspaceLanding>
  );
}
