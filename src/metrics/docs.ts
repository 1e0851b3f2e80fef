/**
 * docs/metrics.md, generated from the catalog: `npm run docs:metrics` writes it, and
 * test/docs.test.ts fails when the committed file differs from what the catalog says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { allMetrics, CONDITION_LABELS, USERSIM_JOB } from './catalog.ts';
import { LINT_RULES } from './lint.ts';
import { MAX_PAGES_PER_JOURNEY, MAX_STEPS_PER_JOURNEY } from './labels.ts';

export const METRICS_DOC = new URL('../../docs/metrics.md', import.meta.url);

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function metricsMarkdown(): string {
  const rows = allMetrics().map(
    (m) => `| \`${m.name}\` | ${m.type} | ${m.clock ?? '-'} | ${m.labels.join(', ')} | ${cell(m.help)} |`,
  );
  return `# Metrics

<!-- Generated from src/metrics/catalog.ts by \`npm run docs:metrics\`; do not edit by hand. -->

Every metric perfpulse-journeys emits, as the catalog (\`src/metrics/catalog.ts\`) defines it. Browser
journeys push to job \`${USERSIM_JOB}\`, one group per \`{env, journey}\`, replaced with PUT each run.

- **clock**: \`wall\` is Node's clock around what the harness does (what the user waits for, plus the
  harness's own cost, see \`perfpulse_usersim_harness_overhead_seconds\`); \`browser\` is the page's own
  clock from the start of its navigation (web-vitals, Navigation Timing).
- A value that was not measured is left out, never sent as 0.
- Labels: \`env\` (env profile), \`journey\` and \`step\` (validated slugs, at most ${MAX_STEPS_PER_JOURNEY} steps per
  journey), \`page\` (a slug of the first two path segments of the document, ids dropped, at most
  ${MAX_PAGES_PER_JOURNEY} per journey, further pages are \`other\`). Never URLs, users, error texts or ids.
- A run with \`--throttle\` or \`--device\` adds ${CONDITION_LABELS.map((l) => `\`${l}\``).join(' and ')} to every series it pushes and to
  its grouping key, only when set, so emulated runs never mix with plain ones (docs/decisions.md 17).

| metric | type | clock | labels | help |
|---|---|---|---|---|
${rows.join('\n')}

## Naming rules checked by \`perfpulse-journeys metrics lint\`

| rule | what it checks |
|---|---|
${Object.entries(LINT_RULES).map(([r, what]) => `| \`${r}\` | ${cell(what)} |`).join('\n')}
`;
}

if (import.meta.main) {
  const want = metricsMarkdown();
  const file = METRICS_DOC;
  let have = '';
  try {
    have = readFileSync(file, 'utf8');
  } catch {
    have = '';
  }
  if (have === want) process.stdout.write('docs/metrics.md is up to date\n');
  else {
    writeFileSync(file, want);
    process.stdout.write('wrote docs/metrics.md\n');
  }
}
