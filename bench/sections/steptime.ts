/**
 * Step time in the default configuration against bare `playwright test` (bench/bare/login.spec.ts
 * and search.spec.ts, the same locators): per step, the median over the runs, and the ratio; also
 * `--trace retain-on-failure` (the old default, tracing every journey) and, with --baseline, that
 * checkout's default.
 */
import { startReplica } from '../../src/replica/server.ts';
import { DEMO_USER } from '../../src/replica/users.ts';
import { STEPS } from '../peers/login-steps.mjs';
import { fmt, median, ratio, replicaProfile, runBare, runOurs, timeLeft, type BenchContext, type SectionResult } from '../common.ts';

const JOURNEYS = [
  { journey: 'login', steps: STEPS, spec: 'login.spec.ts' },
  { journey: 'search', steps: ['open_search_page', 'fill_form', 'submit_search'], spec: 'search.spec.ts' },
] as const;

type Steps = Record<string, number>;

export async function steptime(ctx: BenchContext): Promise<SectionResult> {
  const runs = ctx.quick ? 1 : 9;
  const ours = (extra: string[], root?: string) => async (profile: string, _origin: string, journey: string) => {
    const r = await runOurs(profile, ['--journeys', journey, ...extra], { root, journey, credentials: DEMO_USER });
    return r.code === 0 && r.parsed.ok ? r.parsed.steps : undefined;
  };
  const variants: Array<{ name: string; run: (profile: string, origin: string, journey: string, spec: string) => Promise<Steps | undefined> }> = [
    { name: 'ours, default (--trace on-failure)', run: ours([]) },
    { name: 'ours, --trace retain-on-failure (the old default)', run: ours(['--trace', 'retain-on-failure']) },
    ...(ctx.baseline ? [{ name: `baseline ${ctx.baseline}, its default`, run: ours([], ctx.baseline) }] : []),
    {
      name: 'bare playwright test',
      run: async (_p, origin, _j, spec) => {
        const r = await runBare(spec, { BENCH_BASE: origin, BENCH_USER: DEMO_USER.username, BENCH_PASS: DEMO_USER.password });
        const first = r.runs[0];
        return first?.ok ? first.steps : undefined;
      },
    },
  ];
  const key = (v: string, j: string) => `${v}|${j}`;
  const got = new Map<string, Steps[]>();
  let cut = false;
  const replica = await startReplica({});
  try {
    const profile = replicaProfile(replica.origin);
    for (let i = 0; i < runs && !cut; i++) {
      // interleaved, so that a change in the machine's load falls on every variant alike
      for (const { journey, steps: names, spec } of JOURNEYS) {
        for (const v of variants) {
          if (i > 0 && !timeLeft(ctx)) {
            cut = true;
            break;
          }
          const steps = await v.run(profile, replica.origin, journey, spec);
          if (steps) got.set(key(v.name, journey), [...(got.get(key(v.name, journey)) ?? []), steps]);
          ctx.log(`steptime ${journey} ${v.name}: ${steps ? names.map((s) => `${s} ${fmt(steps[s] ?? NaN)}`).join(' ') : 'failed'}`);
        }
      }
    }
  } finally {
    await replica.stop();
  }
  const med = (v: string, j: string, step: string) => median((got.get(key(v, j)) ?? []).map((s) => s[step] ?? NaN));
  const bare = variants.at(-1)?.name as string;
  const def = variants[0]?.name as string;
  const tables = JOURNEYS.map(({ journey, steps }) => {
    const rows = variants.map((v) => `| ${v.name} | ${got.get(key(v.name, journey))?.length ?? 0} | ${steps.map((s) => `${fmt(med(v.name, journey, s))} (${ratio(med(v.name, journey, s), med(bare, journey, s))})`).join(' | ')} |`);
    return `**${journey}**\n\n| variant | runs | ${steps.join(' | ')} |\n|---|---|${steps.map(() => '---').join('|')}|\n${rows.join('\n')}\n`;
  });
  const verdict = JOURNEYS.flatMap(({ journey, steps }) =>
    steps.map((st) => {
      const r = med(def, journey, st) / med(bare, journey, st);
      return Number.isFinite(r) ? `${journey}/${st} ${r.toFixed(2)}× (${r <= 1.05 ? 'met' : `missed by ${((r - 1.05) * 100).toFixed(0)} points`})` : `${journey}/${st} –`;
    }),
  ).join(', ');
  const data = Object.fromEntries(
    JOURNEYS.map(({ journey, steps }) => [
      journey,
      Object.fromEntries(variants.map((v) => [v.name, { runs: got.get(key(v.name, journey))?.length ?? 0, medians: Object.fromEntries(steps.map((s) => [s, med(v.name, journey, s)])), ratioToBare: Object.fromEntries(steps.map((s) => [s, med(v.name, journey, s) / med(bare, journey, s)])) }])),
    ]),
  );
  return {
    title: 'Step time: the default mode against bare Playwright',
    markdown: `The login and search journeys' steps, same replica, same Chromium and flags; median ms over the runs
(${runs} requested${cut ? ', cut short by the time limit' : ''}, variants interleaved) and, in brackets, the ratio to bare
\`playwright test\` (target: within 1.05× for every step in the default configuration).

${tables.join('\n')}
Target (default mode within 1.05× of bare for every step): ${verdict}.
`,
    data: { runsRequested: runs, cut, journeys: data },
  };
}
