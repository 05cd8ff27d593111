'use client';

import { Search } from 'lucide-react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';

export function SearchBox() {
  const router = useRouter();
  const params = useSearchParams();
  const [query, setQuery] = useState(params.get('q') ?? '');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (q) router.push(`/search?q=${encodeURIComponent(q)}`);
  }

  return (
    <form role="search" onSubmit={onSubmit} className="relative">
      <Search aria-hidden className="absolute top-1.5 left-2 size-4 text-slate-400" />
      <input
        type="search"
        name="q"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Shipment, order, PO or tracking ref"
        aria-label="Search shipments"
        className="w-72 rounded border border-slate-600 bg-slate-800 py-1 pr-2 pl-8 text-white placeholder:text-slate-400 focus:border-sky-500"
      />
    </form>
  );
}
