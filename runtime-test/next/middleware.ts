import { type NextRequest, NextResponse } from 'next/server';
import { JWTError, verifyJWT } from 'tessera-jwt';

export const config = { matcher: '/api/:path*' };

export async function middleware(request: NextRequest) {
  const token = request.headers.get('authorization')?.match(/^Bearer (\S+)$/)?.[1];
  const deny = (error?: string) =>
    new NextResponse(null, {
      status: 401,
      headers: { 'www-authenticate': error ? `Bearer realm="api", error="${error}"` : 'Bearer realm="api"' },
    });
  if (!token) return deny();
  try {
    const claims = await verifyJWT(token, JSON.parse(process.env.JWT_PUBLIC_JWK ?? ''), {
      algorithms: ['ES256'],
      issuer: process.env.JWT_ISSUER,
      audience: 'api',
    });
    const headers = new Headers(request.headers);
    headers.set('x-user', String(claims.sub));
    return NextResponse.next({ request: { headers } });
  } catch (err) {
    if (err instanceof JWTError) return deny('invalid_token');
    throw err;
  }
}
