import { redirect } from 'next/navigation';
import { requireUser } from '@/server/auth/guards';
import { workspaceOf } from '@/server/auth/workspaces';

export default async function Home() {
  const user = await requireUser();

  redirect(workspaceOf(user.role).path);
}
