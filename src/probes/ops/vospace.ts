/**
 * The VOSpace transfer probe (`perfpulse-journeys probe vospace`, a run's `probes.vospace`): for
 * the run's user, on each selected service (vault, arc), what `vcp` does to copy a file in and out
 * (vostools e54b472 vos/vos/vos.py Client.copy, get_node_url, transfer; cadctools 688e957
 * cadcutils/net/netutils.py Transfer.transfer, cadcutils/net/ws.py BaseDataClient.upload_file and
 * download_file):
 *
 *   set-up (untimed): login, the service's nodes and sync-transfer endpoints from the registry, a
 *     test node left by an earlier run deleted, the scratch folder created when missing;
 *   vos_push: negotiate a pushToVoSpace transfer (POST <svc>/synctrans → the 303s → the transfer
 *     document; the job's phase read as vcp does), then PUT the random bytes at its first endpoint
 *     with `Digest: md5=<base64>`, and check the Digest the service answers;
 *   vos_pull: negotiate a pullFromVoSpace transfer, GET the bytes from its first endpoint, compare
 *     their md5 with the answer's Digest and with the bytes pushed;
 *   vos_delete: DELETE <svc>/nodes/<file>;
 *   clean-up (untimed, always, also after a failure or an interruption): the test node if it may
 *     still exist, and the scratch folder when it is empty.
 *
 * Phases: `negotiate` (POST to the transfer document, with the phase check), `transfer` (the PUT or
 * GET, request sent to the last byte in), `whole` (the operation from its first request to its last
 * check). vcp would try a further endpoint when the first fails; the probe reports the first path.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Credentials } from '../../config/credentials.ts';
import type { EnvProfile } from '../../config/profile.ts';
import type { VosKind, VosOperation, VosServiceOutcome, VospaceProbeResults } from '../../results/probes.ts';
import { OpFailure, OpsClient, errorFailure, said, statusClass } from './client.ts';
import { STD_NODES, STD_SYNC, containerNodeXml, digestHeader, digestMd5, hasChildren, isTransfer, nodeType, nodeUri, transferEndpoints, transferXml, type Direction } from './vos-xml.ts';
import { defaultsOf, fromProfile, parseSize, seconds, text, type OpsOption } from './options.ts';

/*
 * Its options (./options.ts: one table gives each option's profile key, flag, default and help):
 *
 *   probes:
 *     vospace:                     # or `vospace: true` for every default
 *       services: [vault, arc]
 *       size: 1MiB                 # bytes, or with a KiB / MiB / GiB suffix
 *       folder: perfpulse-probe    # scratch folder under the user's home (created and removed by the probe)
 *       timeout: 60                # seconds, every request
 */

/** The VOSpace services the transfer probe knows (the `service` label). */
export const VOSPACE_SERVICE_NAMES = ['vault', 'arc'] as const;

export interface VospaceProbeConfig {
  services: string[];
  sizeBytes: number;
  /** Path under `home/<user>/`, one or more segments. */
  folder: string;
  timeoutMs: number;
}

function services(v: unknown): string[] {
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || !list.length || !list.every((s) => typeof s === 'string')) throw new Error(`must be a list of ${VOSPACE_SERVICE_NAMES.join(' and/or ')}`);
  const unknown = list.filter((s) => !(VOSPACE_SERVICE_NAMES as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`names unknown service(s) ${unknown.join(', ')} (use ${VOSPACE_SERVICE_NAMES.join(', ')})`);
  return [...new Set(list as string[])];
}

export const VOSPACE_OPTIONS = {
  services: { key: 'services', flag: '--services <list>', default: 'vault,arc', help: 'VOSpace services, comma-separated: vault, arc', parse: services },
  sizeBytes: { key: 'size', flag: '--size <bytes>', default: '1MiB', help: 'size of the random test file: bytes, or with a KiB/MiB/GiB suffix (at most 1GiB)', parse: parseSize },
  folder: {
    key: 'folder',
    flag: '--folder <path>',
    default: 'perfpulse-probe',
    help: "scratch folder under the user's home (created when missing and then removed again)",
    parse: text('a relative path of letters, digits, . _ - segments, e.g. perfpulse-probe', /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/),
  },
  timeoutMs: { key: 'timeout', flag: '--timeout <seconds>', default: '60', help: 'hard deadline of every request', parse: seconds(0.1, 600) },
} satisfies { [K in keyof VospaceProbeConfig]: OpsOption<VospaceProbeConfig[K]> };

/** A profile's `probes.vospace` (true, null or a mapping), every option parsed, the rest defaults. */
export function vospaceFromProfile(raw: unknown, source: string): VospaceProbeConfig {
  return fromProfile(VOSPACE_OPTIONS, raw, 'vospace', source);
}

export const vospaceDefaults = (): VospaceProbeConfig => defaultsOf(VOSPACE_OPTIONS);

/** The test file's name in the scratch folder: fixed, so a leftover of an earlier run is found. */
export const TEST_FILE = 'perfpulse-vospace-probe.bin';

export interface VospaceProbeOptions {
  profile: EnvProfile;
  credentials?: Credentials;
  config: VospaceProbeConfig;
  log: (line: string) => void;
  signal?: AbortSignal;
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(3)} s`);

/** The class a transfer job's error text stands for (cadc-vos NodeFault names). */
function jobErrorClass(text: string): OpFailure['class'] {
  if (/NotAuthenticated|PermissionDenied/.test(text)) return 'auth';
  if (/InternalFault|TransientException|Unavailable/.test(text)) return 'http_5xx';
  return 'http_4xx';
}

async function probeService(client: OpsClient, svc: string, cfg: VospaceProbeConfig, bytes: Buffer, log: (line: string) => void): Promise<VosServiceOutcome> {
  const out: VosServiceOutcome = { service: svc, operations: [], leftoverDeleted: false, leftBehind: [], detail: '' };
  const user = client.username as string;
  const home = `home/${user}`;
  const folders = cfg.folder.split('/').map((_seg, i, all) => `${home}/${all.slice(0, i + 1).join('/')}`);
  const folder = folders.at(-1) as string;
  const file = `${folder}/${TEST_FILE}`;
  const sum = md5(bytes);
  const created: string[] = [];
  let nodes = '';
  let fileMayExist = false;
  const nodeUrl = (path: string) => `${nodes}/${path.split('/').map(encodeURIComponent).join('/')}`;

  /** Runs one operation: its phases, its success, its failure with class; never throws. */
  const operation = async (kind: VosKind, fn: (op: VosOperation) => Promise<void>): Promise<VosOperation> => {
    const op: VosOperation = { kind, ok: false, phasesMs: {} };
    out.operations.push(op);
    const t0 = performance.now();
    try {
      await fn(op);
      op.ok = true;
      op.phasesMs.whole = performance.now() - t0;
    } catch (err) {
      op.failure = errorFailure(err, kind).toFailure();
      out.failure ??= op.failure;
    }
    return op;
  };

  /** The sync negotiation, as cadcutils Transfer.transfer: its first endpoint, and how long it took. */
  const negotiate = async (direction: Direction, sync: string): Promise<{ endpoint: string; ms: number }> => {
    const t0 = performance.now();
    let url = sync;
    let a = await client.call('negotiate', url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: transferXml(nodeUri(svc, file), direction) });
    for (let hops = 0; a.res.status === 303; hops++) {
      const location = a.res.headers.get('location');
      if (!location || hops >= 10) throw new OpFailure('assertion', `negotiate: ${hops >= 10 ? 'more than 10 redirects' : '303 without a Location'}`);
      url = new URL(location, url).toString();
      a = await client.call('negotiate', url);
    }
    if (a.res.status !== 200) throw new OpFailure(statusClass(a.res.status), `negotiate: ${new URL(url).pathname} answered ${a.res.status}${said(a.text()) ? `: ${said(a.text())}` : ''}`);
    const doc = a.text();
    if (!isTransfer(doc)) throw new OpFailure('assertion', `negotiate: ${new URL(url).pathname} answered no transfer document`);
    // the job behind the transfer document, as vcp checks it: …/xfer/<id> → …/transfers/<id>/phase
    const job = url.replace(/\/xfer\//, '/transfers/').replace(/\/results\/transferDetails$/, '');
    const phase = await client.call('negotiate', `${job}/phase`);
    if (!phase.res.ok) throw new OpFailure(statusClass(phase.res.status), `negotiate: the transfer job's phase answered ${phase.res.status}`);
    if (phase.text().trim() === 'ERROR') {
      const error = said((await client.call('negotiate', `${job}/error`)).text());
      throw new OpFailure(jobErrorClass(error), `negotiate: the transfer job ended in ERROR: ${error || '(no error text)'}`);
    }
    const endpoint = transferEndpoints(doc)[0];
    if (!endpoint) throw new OpFailure('assertion', 'negotiate: the transfer document has no endpoint');
    return { endpoint, ms: performance.now() - t0 };
  };

  try {
    await client.login();
    nodes = await client.capability(`ivo://cadc.nrc.ca/${svc}`, STD_NODES);
    const sync = await client.capability(`ivo://cadc.nrc.ca/${svc}`, STD_SYNC);

    // set-up: a test node an earlier run left; the scratch folder
    const left = await client.call('set-up', nodeUrl(file));
    if (left.res.status === 200) {
      const del = await client.call('set-up', nodeUrl(file), { method: 'DELETE' });
      if (!del.res.ok) throw new OpFailure(statusClass(del.res.status), `set-up: the test node of an earlier run could not be deleted: DELETE answered ${del.res.status}`);
      out.leftoverDeleted = true;
      log(`vospace: ${svc}: deleted ${file.slice(home.length + 1)}, left by an earlier run`);
    } else if (left.res.status !== 404) {
      throw new OpFailure(statusClass(left.res.status), `set-up: GET ${new URL(nodeUrl(file)).pathname} answered ${left.res.status}${said(left.text()) ? `: ${said(left.text())}` : ''}`);
    }
    for (const path of folders) {
      const got = await client.call('set-up', nodeUrl(path));
      if (got.res.status === 200) {
        if (nodeType(got.text()) !== 'vos:ContainerNode') throw new OpFailure('assertion', `set-up: ${path.slice(home.length + 1)} exists and is not a folder`);
        continue;
      }
      if (got.res.status !== 404) throw new OpFailure(statusClass(got.res.status), `set-up: GET ${new URL(nodeUrl(path)).pathname} answered ${got.res.status}`);
      const put = await client.call('set-up', nodeUrl(path), { method: 'PUT', headers: { 'content-type': 'text/xml' }, body: containerNodeXml(nodeUri(svc, path)) });
      if (put.res.status === 201) created.push(path);
      else if (put.res.status !== 409) throw new OpFailure(statusClass(put.res.status), `set-up: creating ${path.slice(home.length + 1)} answered ${put.res.status}${said(put.text()) ? `: ${said(put.text())}` : ''}`);
    }

    fileMayExist = true; // a push negotiation creates the data node
    const push = await operation('vos_push', async (op) => {
      const { endpoint, ms } = await negotiate('pushToVoSpace', sync);
      op.phasesMs.negotiate = ms;
      const body = new Uint8Array(bytes); // fetch's BodyInit: a copy on its own ArrayBuffer
      const t0 = performance.now();
      const a = await client.call('push transfer', endpoint, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', digest: digestHeader(sum) }, body });
      op.phasesMs.transfer = performance.now() - t0;
      if (a.res.status === 412) throw new OpFailure('download', `push: PUT answered 412, the service's md5 of the bytes is not the Digest sent${said(a.text()) ? ` (${said(a.text())})` : ''}`);
      if (!a.res.ok) throw new OpFailure(statusClass(a.res.status), `push: PUT answered ${a.res.status}${said(a.text()) ? `: ${said(a.text())}` : ''}`);
      const stored = digestMd5(a.res.headers.get('digest'));
      if (stored && stored !== sum) throw new OpFailure('download', `push: digest mismatch: the service stored md5 ${stored}, the bytes sent have md5 ${sum}`);
      op.bytes = bytes.length;
    });
    if (push.ok && !client.o.signal?.aborted) {
      await operation('vos_pull', async (op) => {
        const { endpoint, ms } = await negotiate('pullFromVoSpace', sync);
        op.phasesMs.negotiate = ms;
        const t0 = performance.now();
        const a = await client.call('pull transfer', endpoint);
        op.phasesMs.transfer = performance.now() - t0;
        if (a.res.status !== 200) throw new OpFailure(statusClass(a.res.status), `pull: GET answered ${a.res.status}${said(a.text()) ? `: ${said(a.text())}` : ''}`);
        const got = md5(a.bytes);
        const header = digestMd5(a.res.headers.get('digest'));
        if (header && header !== got) throw new OpFailure('download', `pull: digest mismatch: the bytes have md5 ${got}, their Digest header says ${header}`);
        if (a.bytes.length !== bytes.length) throw new OpFailure('download', `pull: ${a.bytes.length} bytes came back, ${bytes.length} were pushed`);
        if (got !== sum) throw new OpFailure('download', `pull: the bytes differ from those pushed (md5 ${got}, pushed ${sum})`);
        op.bytes = a.bytes.length;
      });
    }
    // after an interruption the clean-up below deletes the node, untimed
    if (!client.o.signal?.aborted) await operation('vos_delete', async () => {
      const a = await client.call('delete', nodeUrl(file), { method: 'DELETE' });
      if (!a.res.ok) throw new OpFailure(statusClass(a.res.status), `delete: DELETE answered ${a.res.status}${said(a.text()) ? `: ${said(a.text())}` : ''}`);
      fileMayExist = false;
    });
  } catch (err) {
    out.failure ??= errorFailure(err, 'set-up').toFailure();
  } finally {
    // clean-up, also after a failure or an interruption: nothing this run can delete stays behind
    const gone = async (path: string): Promise<boolean> => {
      try {
        const a = await client.call('clean-up', nodeUrl(path), { method: 'DELETE' }, undefined, true);
        return a.res.ok || a.res.status === 404;
      } catch {
        return false;
      }
    };
    if (nodes && fileMayExist && !(await gone(file))) out.leftBehind.push(file);
    for (const path of [...folders].reverse()) {
      if (!nodes || out.leftBehind.length) break;
      if (!created.includes(path) && path !== folder) break;
      // the leaf folder goes when it is empty (also one an earlier run left), the parents only when this run made them
      const got = await client.call('clean-up', nodeUrl(path), {}, undefined, true).catch(() => undefined);
      if (got?.res.status === 404) continue;
      if (!got?.res.ok || hasChildren(got.text())) {
        if (created.includes(path)) out.leftBehind.push(path);
        break;
      }
      if (!(await gone(path))) out.leftBehind.push(path);
    }
  }
  out.ok = !out.failure && !out.leftBehind.length;
  if (out.leftBehind.length && !out.failure) out.failure = { class: 'harness', line: `clean-up: could not delete ${out.leftBehind.join(', ')}` };
  const ops = out.operations.map((o) => `${o.kind} ${o.ok ? s(o.phasesMs.whole) : 'FAILED'}`).join(', ');
  out.detail = out.ok ? ops : `${out.failure?.class}: ${out.failure?.line}`;
  return out;
}

function logOutcome(o: VosServiceOutcome, log: (line: string) => void): void {
  for (const op of o.operations) {
    const phases = op.phasesMs.negotiate !== undefined ? ` (negotiate ${s(op.phasesMs.negotiate)}, transfer ${s(op.phasesMs.transfer)})` : '';
    const rate = op.ok && op.bytes && op.phasesMs.transfer ? `, ${op.bytes} bytes, ${(op.bytes / 1048576 / (op.phasesMs.transfer / 1000)).toFixed(1)} MiB/s` : '';
    if (op.ok) log(`vospace: ${o.service} ${op.kind}: ok ${s(op.phasesMs.whole)}${phases}${rate}`);
    else log(`vospace: ${o.service} ${op.kind}: FAILED (${op.failure?.class}) ${op.failure?.line}`);
  }
  if (o.failure && !o.operations.some((op) => op.failure === o.failure)) log(`vospace: ${o.service}: FAILED (${o.failure.class}) ${o.failure.line}`);
  for (const path of o.leftBehind) log(`vospace: ${o.service}: LEFT BEHIND ${path} (could not be deleted)`);
}

export async function runVospaceProbe(o: VospaceProbeOptions): Promise<VospaceProbeResults> {
  const startedAtMs = Date.now();
  const size = o.config.sizeBytes;
  const results: VospaceProbeResults = { env: o.profile.name, startedAtMs, sizeBytes: size, services: [], failures: 0 };
  if (!o.credentials) {
    for (const service of o.config.services) {
      const skipped: VosServiceOutcome = { service, operations: [], leftoverDeleted: false, leftBehind: [], detail: 'skipped: no credentials (PERFPULSE_USERNAME and PERFPULSE_PASSWORD[_FILE])' };
      results.services.push(skipped);
      o.log(`vospace: ${service}: ${skipped.detail}`);
    }
    return results;
  }
  const bytes = randomBytes(size);
  const client = new OpsClient({ profile: o.profile, credentials: o.credentials, timeoutMs: o.config.timeoutMs, signal: o.signal });
  try {
    for (const svc of o.config.services) {
      if (o.signal?.aborted) break;
      const outcome = await probeService(client, svc, o.config, bytes, o.log);
      results.services.push(outcome);
      if (outcome.ok === false) results.failures++;
      logOutcome(outcome, o.log);
    }
  } finally {
    client.logout();
  }
  return results;
}
