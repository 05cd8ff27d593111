'use client';

import { getSession } from 'next-auth/react';
import { useEffect, useState } from 'react';
import { mayOpen } from '@/server/auth/workspaces';

/**
 * Shown when the cookie's role is older than the database's: asking next-auth for the session
 * rewrites the cookie with the current claims, and the page the user asked for opens. It goes
 * there only when the fresh session allows it, so it cannot bounce back here in a loop.
 */
export function SessionRefresh({ to }: { to: string }) {
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    void getSession().then((session) => {
      if (session && mayOpen(session.user.role, to)) window.location.replace(to);
      else setFailed(true);
    });
  }, [to]);

  return (
    <p className="text-slate-600">
      {failed ? 'Your role cannot open this page.' : 'Your role has changed. Opening the page…'}
    </p>
  );
}
