// next-auth's route (sign-in, CSRF, session, sign-out), configured from the running hub.
import NextAuth from 'next-auth';
import { buildAuthOptions } from '@/server/auth/next-auth-options';
import { getActiveHub } from '@/server/active-hub';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: RouteContext): Promise<Response> {
  return NextAuth(request as never, context as never, buildAuthOptions(getActiveHub())) as Promise<Response>;
}

export { handler as GET, handler as POST };
