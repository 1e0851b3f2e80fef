/**
 * The headless batch-job probe (`perfpulse-journeys probe headless`, a run's `probes.headless`):
 * for the run's user, one short headless skaha session (a batch job), watched from its submission
 * to its end and then deleted, as upstream perfpulse times skaha (cadc-reference.md §5.2, §8;
 * science-platform 964c7c6 skaha/…/session/{PostAction,GetAction,DeleteAction,SessionBuilder}.java):
 *
 *   set-up (untimed): login; sessions of the probe's name left by an earlier run are deleted;
 *   submit: `POST /skaha/v1/session?name=…&image=…&type=headless&cmd=…&args=…` with an empty form
 *     body (the request shape perfpulse sends, §5.2), answered with the session id;
 *   then every `poll` seconds `GET /skaha/v1/session` until the deadline: `visible` when the id is
 *     first listed, `running` when its status is first Running, `completed` when first Completed
 *     (skaha's word; its openapi says Succeeded, both are accepted);
 *   on a failure (Failed, Error, gone, or not completed by the deadline) its `?view=events` and
 *     `?view=logs` are read for the one-line reason;
 *   always, once there is an id: `DELETE /skaha/v1/session/<id>`; `whole` ends when it is answered.
 *
 * Every milestone is timed from the POST being sent, so its resolution is the poll interval; a
 * status never seen between two polls (a job that ran faster than `poll`) leaves its phase out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from '../../config/credentials.ts';
import type { EnvProfile } from '../../config/profile.ts';
import type { HeadlessJobResult } from '../../results/probes.ts';
import { OpFailure, OpsClient, errorFailure, said, statusClass } from './client.ts';
import { defaultsOf, fromProfile, seconds, text, type OpsOption } from './options.ts';

/*
 * Its options (./options.ts: one table gives each option's profile key, flag, default and help):
 *
 *   probes:
 *     headless:                    # or `headless: true` for every default
 *       image: images.canfar.net/skaha/stress-ng:latest
 *       cmd: stress-ng
 *       args: --cpu 1 --timeout 5s
 *       name: perfpulse-hl
 *       deadline: 300              # seconds from the submission to Completed
 *       poll: 2                    # seconds between two looks at the session list
 *       timeout: 15                # seconds, every request
 */

export interface HeadlessProbeConfig {
  image: string;
  cmd: string;
  args: string;
  /** The session's name (skaha: 1-15 letters, digits or -); also how a leftover of an earlier run is found. */
  name: string;
  deadlineMs: number;
  pollMs: number;
  timeoutMs: number;
}

export const HEADLESS_OPTIONS = {
  image: { key: 'image', flag: '--image <id>', default: 'images.canfar.net/skaha/stress-ng:latest', help: 'container image of the job', parse: text('an image id such as images.canfar.net/skaha/stress-ng:latest', /^\S+$/) },
  cmd: { key: 'cmd', flag: '--cmd <command>', default: 'stress-ng', help: 'command the job runs (skaha cmd)', parse: text('a command') },
  args: { key: 'args', flag: '--args <arguments>', default: '--cpu 1 --timeout 5s', help: 'its arguments, space-separated (skaha args)', parse: text('arguments') },
  name: { key: 'name', flag: '--name <name>', default: 'perfpulse-hl', help: 'session name; a session of that name left by an earlier run is deleted first', parse: text('1-15 letters, digits or -', /^[A-Za-z0-9-]{1,15}$/) },
  deadlineMs: { key: 'deadline', flag: '--deadline <seconds>', default: '300', help: 'time from the submission by which the job must have completed', parse: seconds(1, 86_400) },
  pollMs: { key: 'poll', flag: '--poll <seconds>', default: '2', help: 'pause between two looks at the session list (the resolution of the phases)', parse: seconds(0.05, 600) },
  timeoutMs: { key: 'timeout', flag: '--timeout <seconds>', default: '15', help: 'hard deadline of every request', parse: seconds(0.1, 600) },
} satisfies { [K in keyof HeadlessProbeConfig]: OpsOption<HeadlessProbeConfig[K]> };

/** A profile's `probes.headless` (true, null or a mapping), every option parsed, the rest defaults. */
export function headlessFromProfile(raw: unknown, source: string): HeadlessProbeConfig {
  return fromProfile(HEADLESS_OPTIONS, raw, 'headless', source);
}

export const headlessDefaults = (): HeadlessProbeConfig => defaultsOf(HEADLESS_OPTIONS);

export interface HeadlessProbeOptions {
  profile: EnvProfile;
  credentials?: Credentials;
  config: HeadlessProbeConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
}

const DONE = ['Completed', 'Succeeded'];
const FAILED = ['Failed', 'Error'];
const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(3)} s`);

interface ListedSession {
  id?: string;
  name?: string;
  status?: string;
  type?: string;
}

/** The last meaningful line of a session's events (a Warning first) or logs, for the failure line. */
function lastLine(text: string, prefer?: RegExp): string {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l && !/^TYPE REASON/.test(l) && l !== 'NONE');
  const line = (prefer && [...lines].reverse().find((l) => prefer.test(l))) ?? lines.at(-1) ?? '';
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}

export async function runHeadlessProbe(o: HeadlessProbeOptions): Promise<HeadlessJobResult> {
  const cfg = o.config;
  const out: HeadlessJobResult = { env: o.profile.name, startedAtMs: Date.now(), expected: 0, completed: 0, timedOut: 0, phasesMs: {}, deleted: true, leftoversDeleted: 0, detail: '' };
  if (!o.credentials) {
    out.detail = 'skipped: no credentials (PERFPULSE_USERNAME and PERFPULSE_PASSWORD[_FILE])';
    o.log(`headless: ${out.detail}`);
    return out;
  }
  out.expected = 1;
  const client = new OpsClient({ profile: o.profile, credentials: o.credentials, timeoutMs: cfg.timeoutMs, signal: o.signal });
  const base = `${o.profile.urls.ws_uv}/skaha/v1/session`;
  const headers = { accept: 'application/json', 'x-skaha-authentication-type': 'RUNTIME-TOKEN' };
  const list = async (what: string, cleanup = false): Promise<ListedSession[]> => {
    const a = await client.call(what, base, { headers }, undefined, cleanup);
    if (!a.res.ok) throw new OpFailure(statusClass(a.res.status), `${what}: GET /skaha/v1/session answered ${a.res.status}${said(a.text()) ? `: ${said(a.text())}` : ''}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(a.text());
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) throw new OpFailure('assertion', `${what}: GET /skaha/v1/session answered no JSON array`);
    return parsed as ListedSession[];
  };
  const remove = async (id: string): Promise<boolean> => {
    const a = await client.call('delete', `${base}/${encodeURIComponent(id)}`, { method: 'DELETE', headers }, undefined, true);
    return a.res.ok || a.res.status === 404; // 404: already gone
  };

  let id: string | undefined;
  let t0 = 0;
  let posted = false;
  try {
    await client.login();
    for (const left of (await list('set-up')).filter((x) => x.name === cfg.name && x.type === 'headless' && x.id && x.status !== 'Terminating')) {
      if (await remove(left.id as string)) out.leftoversDeleted++;
    }
    if (out.leftoversDeleted) o.log(`headless: deleted ${out.leftoversDeleted} session(s) named ${cfg.name} left by an earlier run`);

    const q = new URLSearchParams({ name: cfg.name, image: cfg.image, type: 'headless', cmd: cfg.cmd, args: cfg.args });
    t0 = performance.now();
    posted = true;
    const post = await client.call('submit', `${base}?${q}`, { method: 'POST', headers: { ...headers, accept: 'text/plain', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    const answer = post.text().trim();
    if (post.res.status !== 200 || !/^[A-Za-z0-9-]{1,64}$/.test(answer)) {
      throw new OpFailure(post.res.status === 200 ? 'assertion' : statusClass(post.res.status), `submit: POST /skaha/v1/session answered ${post.res.status}${said(answer) ? `: ${said(answer)}` : ''}`);
    }
    id = answer;
    out.phasesMs.submit = performance.now() - t0;

    // watch the list until the job is done, failed, or the deadline passes
    for (;;) {
      const since = () => performance.now() - t0;
      const mine = (await list('watch')).find((x) => x.id === id);
      if (mine) {
        out.phasesMs.visible ??= since();
        out.lastStatus = mine.status;
        if (mine.status === 'Running') out.phasesMs.running ??= since();
        if (DONE.includes(mine.status ?? '')) {
          out.phasesMs.completed = since();
          out.completed = 1;
          break;
        }
        if (FAILED.includes(mine.status ?? '')) throw new OpFailure('assertion', `the job ended ${mine.status}`);
        if (mine.status === 'Terminating') throw new OpFailure('assertion', 'the job is Terminating, deleted by someone else');
      } else if (out.phasesMs.visible !== undefined) {
        throw new OpFailure('assertion', `the job vanished from the session list (last seen ${out.lastStatus ?? 'with no status'})`);
      }
      const left = cfg.deadlineMs - since();
      if (left <= 0) {
        out.timedOut = 1;
        throw new OpFailure('timeout', `not completed within the deadline of ${s(cfg.deadlineMs)}: ${out.phasesMs.visible === undefined ? 'never listed' : `still ${out.lastStatus ?? 'without a status'}`}`);
      }
      await sleep(Math.min(cfg.pollMs, left), undefined, o.signal ? { signal: o.signal } : undefined);
    }
  } catch (err) {
    out.failure = o.signal?.aborted ? { class: 'interrupted', line: 'interrupted before the job completed' } : errorFailure(err, 'headless').toFailure();
  }

  // the one-line reason of a failed job: its events (a Warning first) and its logs
  if (out.failure && id) {
    const reason: string[] = [];
    for (const view of ['events', 'logs']) {
      try {
        const a = await client.call(view, `${base}/${encodeURIComponent(id)}?view=${view}`, { headers: { ...headers, accept: 'text/plain' } }, undefined, true);
        const line = a.res.ok ? lastLine(a.text(), view === 'events' ? /^Warning\b/ : undefined) : '';
        reason.push(`${view} ${a.res.ok ? (line ? `"${line}"` : 'empty') : String(a.res.status)}`);
      } catch (err) {
        reason.push(`${view} ${errorFailure(err, view).class}`);
      }
    }
    out.failure.line = `${out.failure.line}; ${reason.join(', ')}`;
  }

  // always: the session goes (also after a failure or an interruption)
  try {
    if (id) {
      out.deleted = await remove(id);
      if (out.deleted && !out.failure) out.phasesMs.whole = performance.now() - t0;
    } else if (posted) {
      // the POST may have created a session whose id never came back: find it by its name
      for (const x of (await list('clean-up', true)).filter((x) => x.name === cfg.name && x.type === 'headless' && x.id && x.status !== 'Terminating')) {
        out.deleted = (await remove(x.id as string)) && out.deleted;
      }
    }
  } catch {
    out.deleted = false;
  }
  if (!out.deleted) {
    out.failure ??= { class: 'harness', line: `clean-up: could not delete session ${id ?? `named ${cfg.name}`}` };
    o.log(`headless: LEFT BEHIND session ${id ?? `named ${cfg.name}`} (could not be deleted)`);
  }
  client.logout();
  out.ok = !out.failure;
  const p = out.phasesMs;
  out.detail = out.ok
    ? `completed: submit ${s(p.submit)}, visible ${s(p.visible)}, running ${s(p.running)}, completed ${s(p.completed)}, whole ${s(p.whole)}`
    : `${out.failure?.class}: ${out.failure?.line}`;
  o.log(`headless: ${cfg.name}: ${out.ok ? 'ok' : `FAILED (${out.failure?.class})`} ${out.ok ? out.detail : out.failure?.line}`);
  return out;
}
