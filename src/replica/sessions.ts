/** The replica's SSO tokens: issued at login, accepted as CADC_SSO cookie or Bearer token. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieValue } from './http.ts';
import type { ReplicaUser } from './users.ts';

/** SSO token lifetime, as the real `SSO_TOKEN_LIFETIME_SECONDS`. */
export const SSO_MAX_AGE_S = 172_800;

export class TokenStore {
  private readonly tokens = new Map<string, { user: ReplicaUser; expiresAtMs: number }>();

  /** A token in the newer `base64:` form (opaque to clients). */
  issue(user: ReplicaUser): string {
    const expiry = Date.now() + SSO_MAX_AGE_S * 1000;
    const raw = `expirytime=${expiry}&userid=${user.username}&domain=replica&signature=${randomBytes(24).toString('base64url')}`;
    const token = `base64:${Buffer.from(raw).toString('base64')}`;
    this.tokens.set(token, { user, expiresAtMs: expiry });
    return token;
  }

  userOf(token: string | undefined): ReplicaUser | undefined {
    if (!token) return undefined;
    const entry = this.tokens.get(token);
    return entry && entry.expiresAtMs > Date.now() ? entry.user : undefined;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** Who calls: `Authorization: Bearer <token>` first, else the CADC_SSO cookie. */
  caller(req: IncomingMessage): ReplicaUser | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return this.userOf(auth.slice(7).trim());
    return this.userOf(cookieValue(req, 'CADC_SSO'));
  }
}
