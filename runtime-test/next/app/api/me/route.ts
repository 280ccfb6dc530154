export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return Response.json({ user: request.headers.get('x-user') });
}
