import { describe, expect, it } from 'vitest';
import { auditHash, firstBrokenLink, type AuditRowContent } from './audit-hash';
import { canonicalJson } from './canonical-json';

function row(seq: number, data: unknown): AuditRowContent {
  return {
    entityType: 'User',
    entityId: 'u-1',
    seq,
    action: 'user.updated',
    actorType: 'USER',
    actorId: 'admin-1',
    requestId: null,
    data,
    at: new Date(Date.UTC(2026, 11, 1, 12, 0, seq)),
  };
}

function chain(contents: AuditRowContent[]) {
  let prevHash: string | null = null;

  return contents.map((content) => {
    const hash = auditHash(prevHash, content);
    const linked = { ...content, prevHash, hash };
    prevHash = hash;

    return linked;
  });
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"z":1}]},"b":1}',
    );
  });

  it('writes dates as UTC ISO strings', () => {
    expect(canonicalJson({ at: new Date('2026-12-01T13:00:00+01:00') })).toBe(
      '{"at":"2026-12-01T12:00:00.000Z"}',
    );
  });
});

describe('the audit hash chain', () => {
  const rows = chain([row(1, { role: 'ADMIN' }), row(2, { level: 'TEAM_LEAD' }), row(3, null)]);

  it('holds for untouched rows', () => {
    expect(firstBrokenLink(rows)).toBeNull();
  });

  it('does not depend on the key order of the data', () => {
    expect(auditHash(null, row(1, { a: 1, b: 2 }))).toBe(auditHash(null, row(1, { b: 2, a: 1 })));
  });

  it('breaks at an edited row', () => {
    const edited = rows.map((r) => (r.seq === 2 ? { ...r, data: { level: 'SITE_MANAGER' } } : r));

    expect(firstBrokenLink(edited)).toBe(2);
  });

  it('breaks where a row was removed', () => {
    expect(firstBrokenLink([rows[0]!, rows[2]!])).toBe(3);
  });
});
