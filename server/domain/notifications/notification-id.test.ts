import { describe, expect, it } from 'vitest';
import { messageIdOf, notificationId } from './notification-id';

describe('notification ids', () => {
  const subject = {
    kind: 'EXCEPTION_ESCALATED' as const,
    userId: '6f1c1a56-7a55-4c1e-9a3e-0d7d8f0e4b11',
    exceptionId: '0b7e9d3c-2a8f-4c55-9b1e-5f3d2c1a0e99',
    cycle: 0,
    level: 2,
  };

  it('is a UUID that depends only on what it announces', () => {
    const id = notificationId(subject);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(notificationId({ ...subject })).toBe(id);
    // Pinned: a change of the derivation would let receivers see repeats as new messages.
    expect(id).toBe(notificationId(JSON.parse(JSON.stringify(subject))));
    expect(messageIdOf(id)).toBe(`<${id}@notifications.control-tower>`);
  });

  it('differs by level, kind, cycle and user', () => {
    const ids = new Set([
      notificationId(subject),
      notificationId({ ...subject, level: 3 }),
      notificationId({ ...subject, cycle: 1 }),
      notificationId({ ...subject, kind: 'EXCEPTION_ASSIGNED' }),
      notificationId({ ...subject, userId: 'someone-else' }),
    ]);
    expect(ids.size).toBe(5);
  });
});
