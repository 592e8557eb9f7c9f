// next-auth's route (sign-in, CSRF, session, sign-out), configured from the running hub. A
// malformed JSON body is refused (400) before next-auth, which would answer it with a 500.
import NextAuth from 'next-auth';
import { buildAuthOptions } from '@/server/auth/next-auth-options';
import { refuseMalformedAuthBody } from '@/server/auth/next-auth-request';
import { getActiveHub } from '@/server/active-hub';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: RouteContext): Promise<Response> {
  const refused = await refuseMalformedAuthBody(request);
  if (refused) return refused;
  return NextAuth(request as never, context as never, buildAuthOptions(getActiveHub())) as Promise<Response>;
}

export { handler as GET, handler as POST };
