import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { HoldOverrides } from '@/components/approvals/hold-overrides';
import { ExceptionDetail } from '@/components/exceptions/exception-detail';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/server/auth/guards';

export const metadata: Metadata = { title: 'Exception' };

type Params = Promise<{ id: string }>;

export default async function ExceptionPage({ params }: { params: Params }) {
  const user = await requireUser();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();

  return (
    <>
      <PageHeader title="Exception">
        <Link href="/exceptions" className="text-sm text-sky-700 hover:underline">
          Back to the queue
        </Link>
      </PageHeader>
      <ExceptionDetail id={id} />
      {user.role === 'EXECUTIVE' ? null : (
        <div className="mt-4">
          <HoldOverrides target={{ exceptionId: id }} />
        </div>
      )}
    </>
  );
}
