import type { ReactNode } from 'react';

interface Props {
  title: string;
  /** Shown beside the title, e.g. a count. */
  aside?: ReactNode;
  children?: ReactNode;
  /** What the panel says while it has nothing to show. */
  empty?: string;
}

export function Panel({ title, aside, children, empty = 'Nothing here yet.' }: Props) {
  return (
    <section aria-label={title} className="rounded-md border border-slate-200 bg-white">
      <header className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
        <h2 className="font-semibold text-slate-800">{title}</h2>
        {aside}
      </header>
      <div className="p-3">{children ?? <p className="text-slate-500">{empty}</p>}</div>
    </section>
  );
}
