/**
 * `--junit <file>`: the run as JUnit XML, the format CI systems read (GitLab's test reports,
 * GitHub Actions' JUnit reporters, Jenkins): one <testsuite> per journey (per journey and user with
 * --users), one <testcase> per declared step with its wall time; a failed step has a <failure>
 * whose `type` is its error class (src/results/error-class.ts) and whose `message` is the failure
 * line, with Playwright's whole error (redacted) as its text; a step never reached is <skipped>.
 * A journey that failed outside every step (a fixture) gets a testcase `(journey)` holding that
 * failure. The journey's status and class, and the env, are <properties> of its suite. The shape
 * follows the commonly used Jenkins JUnit schema; test/fixtures/junit.xsd, written from it, is
 * what test/junit.test.ts validates the file against with xmllint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { journeyErrorClass } from '../results/error-class.ts';
import { groupByJourney } from '../results/multi-user.ts';
import type { JourneyResult, RunResults } from '../results/results.ts';
import { stepVerdicts } from '../results/verdicts.ts';

/** What a step's budget verdict adds to its testcase (src/results/budgets.ts, when budgets are given). */
export interface JunitBudget {
  /** `ok`, `degraded` or `failed`, with the limits, for the testcase's system-out. */
  note(journey: string, step: string): string | undefined;
  /** A fail-budget breach that --fail-on-budget makes a failure: its message. */
  failure(journey: string, step: string): string | undefined;
}

/** XML 1.0 allows neither most control characters nor lone surrogates: they are dropped. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
export const xmlAttr = (s: string) => clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
export const xmlText = (s: string) => clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const secs = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '');

function suite(env: string, j: JourneyResult, budget?: JunitBudget): { xml: string; tests: number; failures: number; skipped: number; ms: number } {
  const name = j.user === undefined ? j.journey : `${j.journey} user ${j.user}`;
  const classname = `perfpulse.${env}.${j.journey}`;
  const cls = journeyErrorClass(j);
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  const verdicts = stepVerdicts(j);
  for (const v of verdicts) {
    const head = `<testcase name="${xmlAttr(v.step)}" classname="${xmlAttr(classname)}" time="${secs(v.result?.durationMs)}"`;
    const inner: string[] = [];
    if (v.outcome === 'failed') {
      failures++;
      const message = v.result?.error ?? `${name} › ${v.step}: failed`;
      inner.push(`<failure message="${xmlAttr(message)}" type="${xmlAttr(v.errorClass ?? 'assertion')}">${xmlText(j.rawError && v.result === j.steps.findLast((s) => !s.ok) ? j.rawError : message)}</failure>`);
    } else if (v.outcome === 'not_reached') {
      skipped++;
      inner.push(`<skipped message="${xmlAttr(j.status === 'skipped' ? `not run: ${j.error ?? 'skipped'}` : 'not reached: an earlier step failed or the journey stopped')}"/>`);
    } else {
      const over = budget?.failure(j.journey, v.step);
      if (over) {
        failures++;
        inner.push(`<failure message="${xmlAttr(over)}" type="budget">${xmlText(over)}</failure>`);
      }
    }
    const note = v.outcome !== 'not_reached' ? budget?.note(j.journey, v.step) : undefined;
    if (note) inner.push(`<system-out>${xmlText(note)}</system-out>`);
    cases.push(inner.length ? `${head}>\n      ${inner.join('\n      ')}\n    </testcase>` : `${head}/>`);
  }
  // a failure outside every step (a fixture, the journey's timeout before its first step)
  if (cls && !verdicts.some((v) => v.outcome === 'failed')) {
    failures++;
    const message = j.error ?? `${name}: ${j.status}`;
    cases.push(
      `<testcase name="(journey)" classname="${xmlAttr(classname)}" time="${secs(j.durationMs)}">\n      <failure message="${xmlAttr(message)}" type="${xmlAttr(cls)}">${xmlText(j.rawError ?? message)}</failure>\n    </testcase>`,
    );
  }
  const journeyNote = budget?.note(j.journey, '_journey');
  const props = [
    ['env', env],
    ['status', j.status],
    ...(cls ? [['error_class', cls]] : []),
    ...(journeyNote ? [['journey_budget', journeyNote]] : []),
  ].map(([k, v]) => `<property name="${xmlAttr(k as string)}" value="${xmlAttr(v as string)}"/>`);
  const tests = cases.length;
  const ms = j.durationMs ?? j.steps.reduce((sum, s) => sum + s.durationMs, 0);
  const xml = `  <testsuite name="${xmlAttr(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(ms)}" timestamp="${iso(j.startedAtMs)}" hostname="localhost">
    <properties>
      ${props.join('\n      ')}
    </properties>
    ${cases.join('\n    ')}
  </testsuite>`;
  return { xml, tests, failures, skipped, ms };
}

/** The run as a JUnit XML document. */
export function junitXml(results: RunResults, budget?: JunitBudget): string {
  const runs = results.users ? [...groupByJourney(results.journeys).values()].flat() : results.journeys;
  const suites = runs.map((j) => suite(results.env, j, budget));
  const sum = (k: 'tests' | 'failures' | 'skipped') => suites.reduce((n, s) => n + s[k], 0);
  const time = secs(results.finishedAtMs - results.startedAtMs);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${xmlAttr(`perfpulse-journeys env ${results.env}`)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="0" skipped="${sum('skipped')}" time="${time}" timestamp="${iso(results.startedAtMs)}">
${suites.map((s) => s.xml).join('\n')}
</testsuites>
`;
}

/** Writes the run's JUnit XML to `file` (its folder created); returns the path. */
export function writeJunit(file: string, results: RunResults, budget?: JunitBudget): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, junitXml(results, budget));
  return file;
}
