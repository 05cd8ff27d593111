import { NextResponse } from 'next/server';
import { checkHealth } from '@/server/db/health';
import { requireDatabaseUrl } from '@/server/db/client';

export const dynamic = 'force-dynamic';

export async function GET() {
  const health = await checkHealth(requireDatabaseUrl());

  return NextResponse.json(health, {
    status: health.ok ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
