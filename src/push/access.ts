/**
 * How to reach the Pushgateway: credentials and TLS. Credentials come only from the environment,
 * a file or the URL's user-info (never from a flag of their own), and are never printed.
 *
 *   PERFPULSE_PUSHGATEWAY_USERNAME        Basic auth user
 *   PERFPULSE_PUSHGATEWAY_PASSWORD_FILE   file whose first line is the Basic auth password (or
 *   PERFPULSE_PUSHGATEWAY_PASSWORD        the password itself)
 *   PERFPULSE_PUSHGATEWAY_TOKEN_FILE      file whose first line is a bearer token (or
 *   PERFPULSE_PUSHGATEWAY_TOKEN           the token itself)
 *   --pushgateway-ca <file>               PEM CA certificate(s) to trust ($PERFPULSE_PUSHGATEWAY_CA)
 *   --insecure-skip-tls-verify            accept any certificate
 *
 * `https://user:pass@gw/` also gives Basic auth; only one kind of credentials may be set.
 */
import { readFileSync } from 'node:fs';
import { UserError, firstLineOf, unreadable } from '../errors.ts';
import type { GatewayAccess } from './http.ts';
import { userInfoAuthorization } from './pushgateway.ts';

export interface AccessFlags {
  pushgatewayCa?: string;
  insecureSkipTlsVerify?: boolean;
}

/** Reads the gateway's credentials and TLS settings; bad or conflicting input is a UserError. */
export function gatewayAccess(gateway: string, flags: AccessFlags, env: NodeJS.ProcessEnv = process.env): GatewayAccess {
  const access: GatewayAccess = {};
  const user = env.PERFPULSE_PUSHGATEWAY_USERNAME?.trim();
  const password = env.PERFPULSE_PUSHGATEWAY_PASSWORD_FILE
    ? firstLineOf(env.PERFPULSE_PUSHGATEWAY_PASSWORD_FILE, 'PERFPULSE_PUSHGATEWAY_PASSWORD_FILE', 'the password')
    : env.PERFPULSE_PUSHGATEWAY_PASSWORD;
  const token = env.PERFPULSE_PUSHGATEWAY_TOKEN_FILE
    ? firstLineOf(env.PERFPULSE_PUSHGATEWAY_TOKEN_FILE, 'PERFPULSE_PUSHGATEWAY_TOKEN_FILE', 'the token').trim()
    : env.PERFPULSE_PUSHGATEWAY_TOKEN?.trim();
  const fromUrl = userInfoAuthorization(gateway);

  const kinds = [user || password ? 'PERFPULSE_PUSHGATEWAY_USERNAME/PASSWORD' : '', token ? 'PERFPULSE_PUSHGATEWAY_TOKEN' : '', fromUrl ? "the URL's user-info" : ''].filter(Boolean);
  if (kinds.length > 1) throw new UserError(`Pushgateway credentials given twice (${kinds.join(' and ')}): set only one`);
  if (user || password) {
    if (!user) throw new UserError('a Pushgateway password is set but PERFPULSE_PUSHGATEWAY_USERNAME is not');
    if (!password) throw new UserError('PERFPULSE_PUSHGATEWAY_USERNAME is set but neither PERFPULSE_PUSHGATEWAY_PASSWORD_FILE nor PERFPULSE_PUSHGATEWAY_PASSWORD is');
    access.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  } else if (token) {
    access.authorization = `Bearer ${token}`;
  } else if (fromUrl) {
    access.authorization = fromUrl;
  }

  const caFile = flags.pushgatewayCa ?? env.PERFPULSE_PUSHGATEWAY_CA;
  if (caFile) {
    let pem: string;
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UserError(`cannot read --pushgateway-ca (${caFile}): ${unreadable(err)}`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`--pushgateway-ca ${caFile} holds no PEM certificate`);
    access.ca = pem;
  }
  if (flags.insecureSkipTlsVerify) access.insecureSkipTlsVerify = true;
  return access;
}
