'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Re-renders the server page every `everyMs` while the tab is in view, so that a page read on
 * the server (the shipment page, the dispatch and billing boards) follows the jobs as they run.
 * Client state (an open disclosure, a half-filled form) survives a refresh.
 */
export function LiveRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, everyMs);

    return () => clearInterval(timer);
  }, [router, everyMs]);

  return null;
}
