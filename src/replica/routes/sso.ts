/**
 * CADC login (cadc-reference.md §2.1–2.3): the site pages with their header, browser SSO through
 * /access, and the `ac` service (token login, whoami, user document).
 */
import type { ReplicaContext } from '../context.ts';
import { cookieValue, redirect, send, type Route } from '../http.ts';
import { CADC_USER_JS, LOGIN_JS, homePage, loginPage } from '../pages.ts';
import { SSO_MAX_AGE_S } from '../sessions.ts';
import { findUser, type ReplicaUser } from '../users.ts';

const REFUSED_TEXT = 'Your session has expired, or your username and password cannot be found.  Please go Back and try again.';
const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

export function ssoRoutes(ctx: ReplicaContext): Route[] {
  const { tokens } = ctx;
  const { loginForm } = ctx.data;
  return [
    { key: 'GET /', handler: ({ res }) => redirect(res, 303, '/en/') },
    { key: 'GET /en', handler: ({ res }) => redirect(res, 303, '/en/') },
    { key: 'GET /en/', handler: ({ res }) => send(res, 200, HTML, homePage(loginForm)) },
    { key: 'GET /en/login.html', handler: ({ res, url }) => send(res, 200, HTML, loginPage(url.searchParams.get('target') ?? '', loginForm)) },
    {
      key: 'GET /access/login',
      handler: ({ req, res, url }) => {
        const target = url.searchParams.get('target') ?? '';
        if (tokens.caller(req)) return redirect(res, 303, target || '/en');
        send(res, 200, HTML, loginPage(target, loginForm));
      },
    },
    {
      key: 'POST /access/login',
      handler: ({ res, body }) => {
        const form = new URLSearchParams(body);
        const user = findUser(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return send(res, 401, TEXT, REFUSED_TEXT);
        const sso = new URLSearchParams({
          cookieValue: tokens.issue(user),
          referer: form.get('target') || '/en/',
          sites: ctx.ssoPeers.join(','),
        });
        send(res, 200, TEXT, `/access/sso?${sso.toString()}`);
      },
    },
    {
      key: 'GET /access/sso',
      handler: ({ res, url }) => {
        const token = url.searchParams.get('cookieValue') ?? '';
        if (!tokens.userOf(token)) return send(res, 401, TEXT, 'Invalid or expired session.');
        res.setHeader('Set-Cookie', ssoCookie(`"${token}"`, SSO_MAX_AGE_S));
        const [next, ...rest] = (url.searchParams.get('sites') ?? '').split(',').filter(Boolean);
        if (next) {
          const hop = new URLSearchParams({ cookieValue: token, referer: url.searchParams.get('referer') ?? '/', sites: rest.join(',') });
          return redirect(res, 303, `${next}/access/sso?${hop.toString()}`);
        }
        redirect(res, 303, url.searchParams.get('referer') || '/');
      },
    },
    {
      key: 'GET /access/logout',
      handler: ({ req, res }) => {
        const token = cookieValue(req, 'CADC_SSO');
        if (token) tokens.revoke(token);
        res.setHeader('Set-Cookie', ssoCookie(`"LOGOUT-${Date.now()}"`, 0));
        redirect(res, 303, '/en/');
      },
    },
    { key: 'GET /cadcJS/javascript/login.js', handler: ({ res }) => send(res, 200, 'text/javascript', LOGIN_JS) },
    { key: 'GET /cadcJS/javascript/cadc.user.js', handler: ({ res }) => send(res, 200, 'text/javascript', CADC_USER_JS) },
    {
      key: 'POST /ac/login',
      handler: ({ res, body }) => {
        const form = new URLSearchParams(body);
        if (!form.get('username')) return send(res, 400, TEXT, 'Missing username');
        if (!form.get('password')) return send(res, 400, TEXT, 'Missing password');
        const user = findUser(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return send(res, 401, TEXT, 'Login failed: invalid username or password');
        const token = tokens.issue(user);
        res.setHeader('x-vo-authenticated', user.username);
        res.setHeader('x-vo-bearer', token);
        send(res, 200, TEXT, token);
      },
    },
    {
      key: 'GET /ac/whoami',
      handler: ({ req, res }) => {
        const user = tokens.caller(req);
        if (!user) return send(res, 401, TEXT, 'Unauthorized');
        redirect(res, 303, `/ac/users/${encodeURIComponent(user.username)}?idType=HTTP`);
      },
    },
    {
      key: 'GET /ac/users/{name}',
      handler: ({ req, res, params }) => {
        const user = tokens.caller(req);
        if (!user) return send(res, 401, TEXT, 'Unauthorized');
        if (user.username !== params.name) return send(res, 403, TEXT, 'Forbidden');
        res.setHeader('x-vo-authenticated', user.username);
        send(res, 200, 'application/json', JSON.stringify(badgerfishUser(user)));
      },
    },
  ];
}

/**
 * `CADC_SSO` as the real SSOServlet sets it, less `Domain` (the replica's host is an IP address,
 * where a Domain attribute is invalid). Chromium accepts `Secure` cookies on http://127.0.0.1.
 */
function ssoCookie(value: string, maxAge: number): string {
  return `CADC_SSO=${value}; Secure; SameSite=None; HttpOnly; Max-Age=${maxAge}; Path=/`;
}

/** whoami's user document in badgerfish JSON (values under `$`, attributes under `@`). */
function badgerfishUser(u: ReplicaUser): unknown {
  return {
    user: {
      internalID: { uri: { $: `ivo://cadc.nrc.ca/gms?${u.uid}` } },
      identities: {
        $: [
          { identity: { '@type': 'HTTP', $: u.username } },
          { identity: { '@type': 'POSIX', $: String(u.uid) } },
        ],
      },
      personalDetails: {
        firstName: { $: u.firstName },
        lastName: { $: u.lastName },
        email: { $: u.email },
        institute: { $: u.institute },
      },
      posixDetails: {
        username: { $: u.username },
        uid: { $: u.uid },
        gid: { $: u.uid },
        homeDirectory: { $: `/home/${u.username}` },
      },
    },
  };
}
