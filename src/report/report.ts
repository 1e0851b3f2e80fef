/**
 * `--report <dir>`: report.json (the run's results plus what a person needs to judge them) and a
 * self-contained report.html (inline CSS, screenshots embedded as data: URIs, no script, no
 * network): per journey, a waterfall of its steps with wall and browser timings, Web Vitals against
 * the usual thresholds, failures with their line, Playwright's whole error and their screenshot.
 * Built from RunResults only; never contains credentials (results never hold them: the reporter
 * redacts errors, src/results/failure.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { budgetText, type BudgetCheck } from '../results/budgets.ts';
import { ERROR_CLASS_MEANING, failedStep, journeyErrorClass, type ErrorClass } from '../results/error-class.ts';
import { groupByJourney } from '../results/multi-user.ts';
import { isFlaky, journeyOutcome, type JourneyResult, type PageTiming, type RunResults } from '../results/results.ts';
import { stepVerdicts, type StepOutcome } from '../results/verdicts.ts';
import { VITALS, rate, type Rating } from './vitals.ts';

export interface ReportVital {
  name: string;
  step: string;
  page: string;
  /** seconds, or unit-less for CLS */
  value: number;
  rating: Rating;
  good: number;
  poor: number;
}

export interface ReportJourney extends JourneyResult {
  /** For people: `passed`, `flaky (passed on attempt 2)`, `failed (3 attempts)`… */
  outcome: string;
  /** Passed only on a retry (isFlaky); absent otherwise. */
  flaky?: boolean;
  /** Largest calibration step, wall ms: what the harness adds to each step. */
  harnessOverheadMs?: number;
  vitals: ReportVital[];
  /** Failure screenshot as a data: URI (PNG), when one was taken. */
  screenshotDataUri?: string;
  /** A failed journey's class (src/results/error-class.ts). */
  errorClass?: ErrorClass;
  /** Every declared step with its outcome (src/results/verdicts.ts): passed, failed (with its class) or not_reached. */
  outcomes: Array<{ step: string; outcome: StepOutcome; errorClass?: ErrorClass }>;
  /** --budgets: the verdicts of this journey's steps (`_journey` for the whole) and page vitals (src/results/budgets.ts). */
  budgets?: BudgetCheck[];
  /** A failed journey's evidence folder (src/report/evidence.ts), as an absolute path. */
  evidence?: string;
}

export interface Report {
  generatedAtMs: number;
  env: string;
  status: RunResults['status'];
  startedAtMs: number;
  finishedAtMs: number;
  /** `network` / `device` the run emulated (--throttle, --device), when any. */
  conditions?: Record<string, string>;
  /** --users N > 1: every journey appears once per user (its `user`, 1..N). */
  users?: number;
  journeys: ReportJourney[];
}

const scaled = (v: number, unit: string) => (unit === 's' ? v / 1000 : v);

export function buildReport(results: RunResults, now = Date.now(), budgets?: readonly BudgetCheck[], evidence?: ReadonlyMap<JourneyResult, string>): Report {
  return {
    generatedAtMs: now,
    env: results.env,
    status: results.status,
    startedAtMs: results.startedAtMs,
    finishedAtMs: results.finishedAtMs,
    ...(results.conditions ? { conditions: results.conditions } : {}),
    ...(results.users ? { users: results.users } : {}),
    journeys: (results.users ? [...groupByJourney(results.journeys).values()].flat() : results.journeys).map((j) => {
      const vitals: ReportVital[] = [];
      for (const p of j.measured?.pages ?? []) {
        for (const v of VITALS) {
          const raw = p[v.key];
          if (typeof raw !== 'number') continue;
          vitals.push({
            name: v.name,
            step: p.step,
            page: p.page,
            value: scaled(raw, v.unit),
            rating: rate(raw, v.thresholds),
            good: scaled(v.thresholds[0], v.unit),
            poor: scaled(v.thresholds[1], v.unit),
          });
        }
      }
      const errorClass = journeyErrorClass(j);
      const outcomes = stepVerdicts(j).map((v) => ({ step: v.step, outcome: v.outcome, ...(v.errorClass ? { errorClass: v.errorClass } : {}) }));
      const mine = budgets?.filter((c) => c.journey === j.journey);
      const out: ReportJourney = { ...j, outcome: journeyOutcome(j), ...(isFlaky(j) ? { flaky: true } : {}), vitals, ...(errorClass ? { errorClass } : {}), outcomes, ...(mine ? { budgets: mine } : {}), ...(evidence?.get(j) ? { evidence: evidence.get(j) } : {}) };
      const cal = j.measured?.calibrationMs;
      if (cal?.length) out.harnessOverheadMs = Math.max(...cal);
      // the screenshot with its credential fields masked, when the collector took one
      const shot = j.maskedScreenshot && existsSync(j.maskedScreenshot) ? j.maskedScreenshot : j.screenshot;
      if (shot && existsSync(shot)) out.screenshotDataUri = `data:image/png;base64,${readFileSync(shot).toString('base64')}`;
      return out;
    }),
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sec = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(3)} s`);

function waterfall(j: ReportJourney): string {
  const classOf = (step: string) => j.outcomes.find((o) => o.step === step)?.errorClass;
  const budgetPill = (step: string) => {
    const c = j.budgets?.find((b) => b.step === step);
    return c ? ` <span class="pill ${PILL[c.verdict]}" title="${esc(budgetText(c))}">budget ${c.verdict}</span>` : '';
  };
  const first = j.steps[0]?.startedAtMs;
  if (first === undefined) return '<p class="muted">No step ran.</p>';
  const pagesByStep = new Map<string, PageTiming[]>();
  for (const p of j.measured?.pages ?? []) pagesByStep.set(p.step, [...(pagesByStep.get(p.step) ?? []), p]);
  const ends = j.steps.map((s) => s.startedAtMs + s.durationMs - first);
  const span = Math.max(1, ...ends);
  const pct = (ms: number) => `${Math.max(0, Math.min(100, (ms / span) * 100)).toFixed(2)}%`;
  const rows = j.steps.map((s) => {
    const left = s.startedAtMs - first;
    const pages = (pagesByStep.get(s.name) ?? [])
      .map((p) => {
        const total = p.loadMs ?? p.domContentLoadedMs ?? p.ttfbMs;
        if (total === undefined) return '';
        const ttfb = p.ttfbMs ?? 0;
        return `<div class="row browser"><div class="label">↳ page <code>${esc(p.page)}</code> <span class="muted">browser</span></div>
<div class="track"><div class="bar ttfb" style="left:${pct(left)};width:${pct(ttfb)}" title="TTFB ${sec(p.ttfbMs)}"></div><div class="bar load" style="left:${pct(left + ttfb)};width:${pct(total - ttfb)}" title="first byte to load ${sec(total - ttfb)}"></div></div>
<div class="num">TTFB ${sec(p.ttfbMs)} · DCL ${sec(p.domContentLoadedMs)} · load ${sec(p.loadMs)}</div></div>`;
      })
      .join('\n');
    return `<div class="row step ${s.ok ? 'ok' : 'failed'}"><div class="label"><code>${esc(s.name)}</code> <span class="muted">wall</span></div>
<div class="track"><div class="bar wall" style="left:${pct(left)};width:${pct(s.durationMs)}"></div></div>
<div class="num">${sec(s.durationMs)}${budgetPill(s.name)}${s.ok ? '' : ` <strong class="bad">FAILED</strong>${classOf(s.name) ? ` <span class="pill poor">${esc(classOf(s.name) as string)}</span>` : ''}`}</div></div>
${pages}`;
  });
  const ran = new Set(j.steps.map((s) => s.name));
  if (j.status !== 'passed' && j.status !== 'skipped') {
    for (const o of j.outcomes) {
      if (o.outcome === 'not_reached' && !ran.has(o.step)) rows.push(`<div class="row step unreached"><div class="label"><code>${esc(o.step)}</code></div><div class="track"></div><div class="num muted">not reached</div></div>`);
    }
  }
  return `<div class="waterfall">${rows.join('\n')}</div>
<p class="muted legend"><span class="swatch wall"></span> step, wall time (what the user waited, plus the harness)
<span class="swatch ttfb"></span> time to first byte, browser time <span class="swatch load"></span> first byte to load, browser time.
Browser bars are drawn from the start of their step; the page's navigation may start later within it.</p>`;
}

function vitalsTable(j: ReportJourney): string {
  if (!j.vitals.length) return '<p class="muted">No Web Vitals measured.</p>';
  const fmt = (v: number, name: string) => (name === 'CLS' ? v.toFixed(3) : `${v.toFixed(3)} s`);
  const rows = j.vitals.map(
    (v) => `<tr class="${v.rating}"><td>${esc(v.name)}</td><td><code>${esc(v.step)}</code></td><td><code>${esc(v.page)}</code></td><td class="n">${fmt(v.value, v.name)}</td><td><span class="pill ${v.rating}">${v.rating.replace('-', ' ')}</span></td><td class="muted">good ≤ ${fmt(v.good, v.name)}, poor &gt; ${fmt(v.poor, v.name)}</td></tr>`,
  );
  return `<table class="vitals"><thead><tr><th>vital</th><th>step</th><th>page</th><th>value</th><th>rating</th><th>thresholds</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** What the page's requests did during the failed step (StepResult.network): method, page slug, status or error. */
function evidence(j: ReportJourney): string {
  const n = failedStep(j)?.network;
  if (!n) return '';
  const items = [
    ...(n.errors ?? []).map((r) => `${r.method} <code>${esc(r.page)}</code> (${esc(r.type)}) answered ${r.status}`),
    ...(n.failed ?? []).map((r) => `${r.method} <code>${esc(r.page)}</code> (${esc(r.type)}) failed: ${esc(r.error ?? '')}`),
    ...(n.hung ?? []).map((r) => `${r.method} <code>${esc(r.page)}</code> (${esc(r.type)}) unanswered after ${sec(r.openMs)}`),
  ];
  return `<h3>The page's requests during the failed step</h3><ul class="evidence">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

/** Budget verdicts drawn with the Web Vitals' pill colours. */
const PILL = { ok: 'good', degraded: 'needs-improvement', failed: 'poor' } as const;

/** --budgets: every verdict of the journey with its limits. */
function budgetsTable(j: ReportJourney): string {
  if (!j.budgets?.length) return '';
  const what = (c: BudgetCheck) => (c.page !== undefined ? `page <code>${esc(c.page)}</code> ${esc(c.vital ?? '')}` : c.step === '_journey' ? 'the whole journey' : `<code>${esc(c.step ?? '')}</code>`);
  const rows = j.budgets.map((c) => `<tr><td>${what(c)}</td><td><span class="pill ${PILL[c.verdict]}">${c.verdict}</span></td><td class="muted">${esc(budgetText(c))}</td></tr>`);
  return `<h3>Budgets</h3><table class="vitals"><thead><tr><th>what</th><th>verdict</th><th>value and limits</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function journeySection(j: ReportJourney): string {
  const m = j.measured ?? {};
  const facts = [
    `journey ${sec(j.durationMs)} (wall)`,
    `browser set-up ${sec(m.browserSetupMs)} (kept out of steps)`,
    `harness overhead ${sec(j.harnessOverheadMs)} per step (calibration)`,
    m.loadPerCpu !== undefined ? `load per CPU ${m.loadPerCpu.toFixed(2)}${m.loadPerCpu > 1 ? ' — machine oversubscribed, wall times inflated' : ''}` : '',
    m.cpuThrottledSeconds !== undefined ? `CPU throttled ${m.cpuThrottledSeconds.toFixed(3)} s` : '',
  ].filter(Boolean);
  const failure =
    j.status === 'passed'
      ? ''
      : `<div class="failure"><h3>Failure</h3>${
          j.errorClass ? `<div class="class">error class <span class="pill poor">${esc(j.errorClass)}</span> <span class="muted">${esc(ERROR_CLASS_MEANING[j.errorClass])}</span></div>` : ''
        }<p>${esc(j.error ?? j.status)}</p>${evidence(j)}${
          j.evidence ? `<div class="evidence-link">evidence folder (trace, masked screenshot, the bodies pushed, the step log): <a href="${esc(pathToFileURL(j.evidence).href)}">${esc(j.evidence)}</a></div>` : ''
        }${
          j.rawError ? `<h3>Playwright's error</h3><pre class="raw">${esc(j.rawError)}</pre>` : ''
        }${
          j.screenshotDataUri ? `<img class="shot" alt="screenshot of ${esc(j.journey)} when it failed" src="${j.screenshotDataUri}">` : '<p class="muted">No screenshot.</p>'
        }</div>`;
  // --users N: one section per user's run of the journey, in journey then user order.
  const who = j.user === undefined ? '' : ` <span class="muted">user ${j.user}</span>`;
  return `<section class="journey ${j.status === 'passed' ? 'passed' : 'failed'}" id="journey-${esc(j.journey)}${j.user === undefined ? '' : `-user-${j.user}`}">
<h2><span class="status">${j.status === 'passed' ? `✓ ${esc(j.outcome)}` : `✗ ${esc(j.outcome)}`}</span> ${esc(j.journey)}${who}</h2>
<p class="facts">${facts.map(esc).join(' · ')}</p>
<h3>Steps</h3>
${waterfall(j)}
<h3>Web Vitals</h3>
${vitalsTable(j)}
${budgetsTable(j)}
${failure}
</section>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2329;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 6px}h3{font-size:14px;margin:16px 0 6px;color:#444}
.muted{color:#6b7580}.facts{color:#333}code{font:12px ui-monospace,monospace}
section.journey{border:1px solid #d5dae0;border-radius:6px;padding:14px 16px;margin:16px 0}
section.failed{border-color:#d33}.status{font-size:14px;padding:2px 8px;border-radius:10px;background:#e3f4e6;color:#17692a}
section.failed .status{background:#fde4e4;color:#a51616}
.waterfall{display:grid;gap:4px}.row{display:grid;grid-template-columns:260px 1fr 260px;align-items:center;gap:8px}
.row.browser .label{padding-left:14px}.track{position:relative;height:16px;background:#f3f5f7;border-radius:3px}
.bar{position:absolute;top:2px;bottom:2px;border-radius:2px;min-width:2px}.bar.wall{background:#3b7dd8}.row.failed .bar.wall{background:#d33}
.bar.ttfb{background:#f0a83c}.bar.load{background:#8cc084}.num{font:12px ui-monospace,monospace}.bad{color:#a51616}
.legend{font-size:12px}.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px}
.swatch.wall{background:#3b7dd8}.swatch.ttfb{background:#f0a83c}.swatch.load{background:#8cc084}
table.vitals{border-collapse:collapse}table.vitals td,table.vitals th{padding:3px 10px;border-bottom:1px solid #e5e8eb;text-align:left}
td.n{text-align:right;font:12px ui-monospace,monospace}.pill{padding:1px 8px;border-radius:9px;font-size:12px}
.pill.good{background:#e3f4e6;color:#17692a}.pill.needs-improvement{background:#fff1d6;color:#8a5a00}.pill.poor{background:#fde4e4;color:#a51616}
.failure p{color:#a51616}.raw{font:12px/1.4 ui-monospace,monospace;background:#f6f7f9;border:1px solid #e0e3e7;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere}.shot{max-width:100%;border:1px solid #ccc;margin-top:6px}`;

export function reportHtml(r: Report): string {
  const passed = r.journeys.filter((j) => j.status === 'passed').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>perfpulse-journeys report: ${esc(r.env)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head>
<body><h1>perfpulse-journeys report — env ${esc(r.env)}</h1>
<p class="muted">run started ${esc(new Date(r.startedAtMs).toISOString())}, ${passed} of ${r.journeys.length} ${r.users ? `journey runs (${r.users} concurrent users)` : 'journeys'} passed${
   r.journeys.some((j) => j.flaky) ? ` (${r.journeys.filter((j) => j.flaky).length} flaky: passed only on a retry)` : ''
 }${r.conditions ? `; emulated ${Object.entries(r.conditions).map(([k, v]) => `${esc(k)} ${esc(v)}`).join(', ')}` : ''}.
Wall time is Node's clock around each step (what the user waits for, plus the harness); browser time is the page's own clock.</p>
${r.journeys.map(journeySection).join('\n')}
</body></html>
`;
}

/** Writes report.json and report.html into `dir` (created); returns their paths. */
export function writeReport(dir: string, results: RunResults, budgets?: readonly BudgetCheck[], evidence?: ReadonlyMap<JourneyResult, string>): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const report = buildReport(results, Date.now(), budgets, evidence);
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, reportHtml(report));
  return { json, html };
}
