import type { Metadata } from 'next';
import { SearchResults } from '@/components/shipments/search-results';
import { PageHeader } from '@/components/ui/page-header';
import { serverApi } from '@/server/api/server-caller';

export const metadata: Metadata = { title: 'Search' };

type SearchParams = Promise<{ q?: string | string[] }>;

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).q;
  const q = ((Array.isArray(raw) ? raw[0] : raw) ?? '').trim().slice(0, 100);
  if (q.length < 2) {
    return (
      <>
        <PageHeader title="Search" />
        <p className="text-slate-500">Type at least two characters.</p>
      </>
    );
  }
  const results = await (await serverApi()).shipments.search({ q });

  return (
    <>
      <PageHeader title={`Search: ${q}`} />
      <SearchResults results={results} />
    </>
  );
}
