import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { EVENT_TYPES } from '../events/payloads';
import type { PartnerPrincipal } from '../integration/authenticate-partner';
import { MAX_DOCUMENT_BYTES } from '../integration/receive-body';
import { receiveEpcis, type EpcisAnswer } from '../integration/receive-epcis';
import { receiveX12, type X12Answer } from '../integration/receive-x12';
import type { UserActor } from '../users/types';
import type { ImportScope } from './types';

// An X12 interchange or EPCIS document an admin uploads for a partner goes through the very
// service POST /api/v1/edi and /api/v1/epcis call, as that partner. The sites are those of the
// partner's live keys within the uploader's own (all of the uploader's when the partner has no
// key yet), so that the document is read against the same default site as when the partner
// sends it.

export type DocumentUpload =
  { format: 'X12'; answer: X12Answer } | { format: 'EPCIS'; answer: EpcisAnswer };

async function uploaderAsPartner(
  db: Db,
  actor: UserActor,
  scope: ImportScope,
  partnerId: string,
): Promise<PartnerPrincipal> {
  const partner = await db.partner.findUnique({
    where: { id: partnerId },
    include: {
      apiKeys: {
        where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
        select: { sites: { select: { siteId: true } } },
      },
    },
  });
  if (!partner?.active) throw new AppError('NOT_FOUND', 'no active partner with that id');
  const keySites = new Set(partner.apiKeys.flatMap((k) => k.sites.map((s) => s.siteId)));
  const sites = await db.site.findMany({
    where: scope.allSites ? {} : { id: { in: [...scope.siteIds] } },
    select: { id: true, code: true },
  });
  const partnerSites = sites.filter((s) => keySites.has(s.id));
  const chosen = partnerSites.length ? partnerSites : sites;
  if (chosen.length === 0) throw new AppError('FORBIDDEN', 'you may import into no site');

  return {
    partnerId: partner.id,
    partnerCode: partner.code,
    keyId: `upload:${actor.userId}`,
    keyPrefix: 'upload',
    siteIds: new Set(chosen.map((s) => s.id)),
    siteCodes: new Set(chosen.map((s) => s.code)),
    eventTypes: new Set(EVENT_TYPES),
    canSendEvents: true,
    canRead: true,
    canSendEdi: true,
    canSendEpcis: true,
  };
}

export async function uploadDocument(
  db: Db,
  actor: UserActor,
  scope: ImportScope,
  input: { partnerId: string; format: 'X12' | 'EPCIS'; body: string },
): Promise<DocumentUpload> {
  if (Buffer.byteLength(input.body) > MAX_DOCUMENT_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `an ${input.format} document is at most ${MAX_DOCUMENT_BYTES} bytes`,
    );
  }
  const principal = await uploaderAsPartner(db, actor, scope, input.partnerId);
  const options = { requestId: actor.requestId ?? 'upload', now: new Date() };
  if (input.format === 'X12') {
    return { format: 'X12', answer: await receiveX12(db, principal, input.body, options) };
  }

  return { format: 'EPCIS', answer: await receiveEpcis(db, principal, input.body, options) };
}
