import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { mayOpen } from './server/auth/workspaces';

// The first gate for pages, from the session cookie alone: signed-out visitors go to /login, and
// a role cannot open another role's workspace. Pages and tRPC procedures check again against the
// database; APIs are left to their own authentication (see the matcher).

function toLogin(request: NextRequest): NextResponse {
  const url = new URL('/login', request.url);
  const { pathname, search } = request.nextUrl;
  if (pathname !== '/') url.searchParams.set('callbackUrl', pathname + search);

  return NextResponse.redirect(url);
}

export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const token = await getToken({ req: request, secret: process.env.NEXTAUTH_SECRET });
  const role = token?.role;

  // The login page itself sends a signed-in user on, after checking the account is still active;
  // redirecting here on the cookie alone would loop for a deactivated user.
  if (pathname === '/login') return NextResponse.next();
  if (!role) return toLogin(request);
  // A redirect, as the pages' own check does: Next keeps no status on a rewrite from here.
  if (!mayOpen(role, pathname)) {
    const url = new URL('/forbidden', request.url);
    url.searchParams.set('from', pathname);

    return NextResponse.redirect(url);
  }

  return NextResponse.next();
}

export const config = {
  matcher: [
    // Everything but the APIs that authenticate themselves, Next's assets and public files.
    '/((?!api/auth|api/health|api/v1|api/trpc|api/admin|api/demo|docs/api|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico|txt|xml|webmanifest|css|js|map|woff2?)$).*)',
  ],
};
