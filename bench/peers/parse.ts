/**
 * Step timings out of each tool's own report, the way each reports them (test/bench.test.ts runs
 * them on real output of a tiny run):
 *  - ours: the `--dry-run` exposition text, perfpulse_usersim_step_duration_seconds per step;
 *  - bare Playwright: `--reporter json`, each test result's top-level `test.step` durations (ms);
 *  - Artillery 2 + its Playwright engine: the `--output` JSON report, where `test.step(name)` is the
 *    summary `browser.step.<name>` (ms) and a scenario's wall is `vusers.session_length`;
 *  - @elastic/synthetics: `--reporter json`, one JSON document a line, `step/end` with
 *    `step.duration.us` and `journey/end`.
 */
import { METRICS } from '../../src/metrics/catalog.ts';
import { parseExposition, samplesOf } from '../../src/metrics/parse.ts';

/** One journey run as a tool reported it: status, each step's time (ms), its wall when reported (ms). */
export interface PeerRun {
  ok: boolean;
  steps: Record<string, number>;
  journeyMs?: number;
}

/** Per-step figures a tool reports only in aggregate (Artillery): median and p95 over `count` runs. */
export interface PeerSummary {
  runs: number;
  failed: number;
  /** median and p95 are Artillery's sketch estimates; min is exact (with one run, the run's time). */
  steps: Record<string, { count: number; min: number; median: number; p95: number }>;
  journeyMedianMs?: number;
}

export function parseOurs(exposition: string, journey = 'login'): PeerRun {
  const fams = parseExposition(exposition);
  const steps: Record<string, number> = {};
  for (const s of samplesOf(fams, METRICS.stepDuration.name)) if (s.labels.journey === journey && s.labels.step) steps[s.labels.step] = s.value * 1000;
  const success = samplesOf(fams, METRICS.journeySuccess.name).find((s) => s.labels.journey === journey)?.value;
  const wall = samplesOf(fams, METRICS.journeyDuration.name).find((s) => s.labels.journey === journey)?.value;
  return { ok: success === 1, steps, ...(wall !== undefined ? { journeyMs: wall * 1000 } : {}) };
}

interface PwStep {
  title: string;
  duration: number;
  category?: string;
}
interface PwResult {
  status: string;
  duration: number;
  steps?: PwStep[];
}
interface PwSuite {
  suites?: PwSuite[];
  specs?: Array<{ title: string; tests: Array<{ results: PwResult[] }> }>;
}

export function parsePlaywrightJson(text: string): PeerRun[] {
  const doc = JSON.parse(text) as { suites?: PwSuite[] };
  const out: PeerRun[] = [];
  const walk = (s: PwSuite) => {
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests) {
        for (const r of t.results) {
          const steps: Record<string, number> = {};
          for (const st of r.steps ?? []) if (!st.category || st.category === 'test.step') steps[st.title] = st.duration;
          out.push({ ok: r.status === 'passed', steps, journeyMs: r.duration });
        }
      }
    }
    for (const c of s.suites ?? []) walk(c);
  };
  for (const s of doc.suites ?? []) walk(s);
  return out;
}

interface ArtillerySummary {
  count?: number;
  min?: number;
  median?: number;
  p95?: number;
}
export function parseArtilleryReport(text: string): PeerSummary {
  const doc = JSON.parse(text) as { aggregate?: { counters?: Record<string, number>; summaries?: Record<string, ArtillerySummary> } };
  const agg = doc.aggregate;
  if (!agg) throw new Error('not an Artillery report: no aggregate');
  const steps: PeerSummary['steps'] = {};
  for (const [k, v] of Object.entries(agg.summaries ?? {})) {
    const m = /^browser\.step\.(.+)$/.exec(k);
    if (m && v.median !== undefined) steps[m[1] as string] = { count: v.count ?? 0, min: v.min ?? NaN, median: v.median, p95: v.p95 ?? NaN };
  }
  const counters = agg.counters ?? {};
  const session = agg.summaries?.['vusers.session_length'];
  return {
    runs: (counters['vusers.completed'] ?? 0) + (counters['vusers.failed'] ?? 0),
    failed: counters['vusers.failed'] ?? 0,
    steps,
    ...(session?.median !== undefined ? { journeyMedianMs: session.median } : {}),
  };
}

export function parseSyntheticsNdjson(text: string): PeerRun[] {
  const out: PeerRun[] = [];
  let steps: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const doc = JSON.parse(line) as { type?: string; step?: { name: string; status: string; duration?: { us: number } }; journey?: { status?: string; duration?: { us: number } } };
    if (doc.type === 'step/end' && doc.step) steps[doc.step.name] = (doc.step.duration?.us ?? NaN) / 1000;
    if (doc.type === 'journey/end') {
      out.push({ ok: doc.journey?.status === 'succeeded', steps, ...(doc.journey?.duration ? { journeyMs: doc.journey.duration.us / 1000 } : {}) });
      steps = {};
    }
  }
  return out;
}
