import { verifyJWT, JWTError } from 'tessera-jwt/web';
export default {
  async fetch(request, env) {
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    try {
      const claims = await verifyJWT(token, JSON.parse(env.PUBLIC_JWK), { algorithms: ['ES256'], issuer: env.ISSUER });
      return Response.json({ hello: claims.sub });
    } catch (err) {
      if (err instanceof JWTError) return Response.json({ error: err.code }, { status: 401 });
      throw err;
    }
  },
};
