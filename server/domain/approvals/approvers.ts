import type { Tx } from '../../db/client';
import type { NotificationKind, Role, UserLevel } from '../../db/generated/enums';
import { notify } from '../notifications/notify';
import { levelAtLeast } from './rules';

// Who can decide a request at a site: active users of the rule's role and at least its level
// who see the site. They are told when a request is raised and again when it goes overdue; the
// notification id is derived from (kind, request, user), so a repeated run tells nobody twice.

export interface ApproverQuery {
  requiredRole: Role;
  requiredLevel: UserLevel;
  siteId: string;
  excludeUserId?: string | null;
}

export async function eligibleApprovers(tx: Tx, q: ApproverQuery): Promise<string[]> {
  const users = await tx.user.findMany({
    where: {
      active: true,
      role: q.requiredRole,
      OR: [{ allSites: true }, { sites: { some: { siteId: q.siteId } } }],
    },
    select: { id: true, level: true },
  });

  return users
    .filter((u) => u.id !== q.excludeUserId && levelAtLeast(u.level, q.requiredLevel))
    .map((u) => u.id);
}

export async function notifyApprovers(
  tx: Tx,
  kind: Extract<NotificationKind, 'APPROVAL_REQUESTED' | 'APPROVAL_ESCALATED'>,
  request: { id: string; title: string; body: string },
  q: ApproverQuery,
): Promise<number> {
  const userIds = await eligibleApprovers(tx, q);
  const created = await notify(
    tx,
    userIds.map((userId) => ({
      kind,
      userId,
      approvalRequestId: request.id,
      title: request.title,
      body: request.body,
      link: '/approvals',
    })),
  );

  return created.length;
}
