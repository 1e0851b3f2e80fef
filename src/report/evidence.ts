/**
 * The evidence folder of a failed journey: everything a person needs to judge the failure, in one
 * place, `<output>/evidence/<journey>` (`<journey>-user-<k>` with --users):
 *
 *   README.txt        what failed, its error class and what the class means, what each file is
 *   steps.log         every declared step with its outcome and time, the failure line, the page's
 *                     requests behind it (method, path slug, status: never a URL)
 *   evidence.json     the same for machines: the journey's result, its class, every step's outcome
 *   trace.zip         the journey's Playwright trace, redacted as kept (src/runtime/browser/trace-redact.ts)
 *   screenshot.png    the failure screenshot with every credential field masked
 *   metrics/          the exact bodies of the journey's groups, as pushed, spooled or (--dry-run) printed,
 *                     and deliveries.txt saying which
 *
 * Made from the results and the bodies only; no credential is in either (the reporter redacts
 * errors, the trace is rewritten, the bodies hold labels of our own).
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CLASS_MEANING, failedStep, journeyErrorClass } from '../results/error-class.ts';
import type { JourneyResult } from '../results/results.ts';
import { stepVerdicts } from '../results/verdicts.ts';

/** One body of the journey and what became of it. */
export interface EvidenceBody {
  /** The group's path on the gateway, e.g. /metrics/job/perfpulse_usersim/env/local/journey/login. */
  group: string;
  method: string;
  body: string;
  /** `delivered`, `spooled (<file>)`, `not delivered: <why>`, `printed by --dry-run, not pushed`. */
  fate: string;
}

/** The journeys whose evidence is kept: those that failed, timed out or were interrupted. */
export const needsEvidence = (j: JourneyResult) => j.status !== 'passed' && j.status !== 'skipped';

/** The folder of a journey run's evidence under `root`. */
export function evidenceDir(root: string, j: JourneyResult): string {
  return join(root, j.user === undefined ? j.journey : `${j.journey}-user-${j.user}`);
}

const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(3)} s`);

function stepsLog(j: JourneyResult): string {
  const lines = stepVerdicts(j).map((v) => {
    if (v.outcome === 'not_reached') return `-  ${v.step}  not reached`;
    if (v.outcome === 'passed') return `✓  ${v.step}  ${secs(v.result?.durationMs)}`;
    return `✗  ${v.step}  ${secs(v.result?.durationMs)}  FAILED (${v.errorClass ?? '?'}): ${v.result?.error ?? ''}`;
  });
  const n = failedStep(j)?.network;
  const requests = [
    ...(n?.errors ?? []).map((r) => `   ${r.method} ${r.page} (${r.type}) answered ${r.status}`),
    ...(n?.failed ?? []).map((r) => `   ${r.method} ${r.page} (${r.type}) failed: ${r.error}`),
    ...(n?.hung ?? []).map((r) => `   ${r.method} ${r.page} (${r.type}) unanswered after ${secs(r.openMs)}`),
  ];
  return [
    ...lines,
    ...(requests.length ? ["the page's requests during the failed step:", ...requests] : []),
    `journey ${j.status}${j.error ? `: ${j.error}` : ''}`,
  ].join('\n');
}

/** Writes the evidence folder of one failed journey run (replacing an older one); returns its path. */
export function writeEvidence(dir: string, env: string, j: JourneyResult, bodies: readonly EvidenceBody[]): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'metrics'), { recursive: true });
  const cls = journeyErrorClass(j);
  const trace = j.artifacts?.find((a) => a.endsWith('.zip') && existsSync(a));
  if (trace) copyFileSync(trace, join(dir, 'trace.zip'));
  const shot = j.maskedScreenshot && existsSync(j.maskedScreenshot) ? j.maskedScreenshot : undefined;
  if (shot) copyFileSync(shot, join(dir, 'screenshot.png'));
  bodies.forEach((b, i) => writeFileSync(join(dir, 'metrics', `${String(i + 1).padStart(2, '0')}-${b.group.split('/')[3] ?? 'group'}.prom`), b.body));
  writeFileSync(join(dir, 'metrics', 'deliveries.txt'), `${bodies.map((b, i) => `${String(i + 1).padStart(2, '0')}  ${b.method} ${b.group}  ${b.fate}`).join('\n')}\n`);
  writeFileSync(join(dir, 'steps.log'), `${stepsLog(j)}\n`);
  const { screenshot: _unmasked, maskedScreenshot: _masked, artifacts: _artifacts, ...result } = j;
  writeFileSync(
    join(dir, 'evidence.json'),
    `${JSON.stringify({ env, journey: j.journey, ...(j.user !== undefined ? { user: j.user } : {}), status: j.status, errorClass: cls ?? null, error: j.error ?? null, outcomes: stepVerdicts(j).map((v) => ({ step: v.step, outcome: v.outcome, ...(v.errorClass ? { errorClass: v.errorClass } : {}) })), result }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'README.txt'),
    `${[
      `${j.journey}${j.user !== undefined ? ` user ${j.user}` : ''} on env ${env}: ${j.status}, started ${new Date(j.startedAtMs).toISOString()}`,
      cls ? `error class: ${cls} (${ERROR_CLASS_MEANING[cls]})` : '',
      j.error ? `failure: ${j.error}` : '',
      '',
      'steps.log       every declared step with its outcome and time, and the requests behind the failure',
      'evidence.json   the same, and the whole result, for machines',
      trace
        ? `trace.zip       the Playwright trace, redacted (npx playwright show-trace trace.zip)${j.tracedRerun ? `: of the journey run once more, traced, after the measured attempt failed (that re-run ${j.tracedRerun}; the measured attempt ran untraced)` : ''}`
        : 'trace.zip       none: the run kept no trace (--trace off)',
      shot ? 'screenshot.png  the page when it failed, credential fields masked' : 'screenshot.png  none: no screenshot could be taken with the credential fields masked',
      `metrics/        the ${bodies.length} bod${bodies.length === 1 ? 'y' : 'ies'} of this journey's groups, and deliveries.txt: pushed, spooled or printed`,
    ]
      .filter((l, i) => l !== '' || i === 3)
      .join('\n')}\n`,
  );
  return dir;
}
