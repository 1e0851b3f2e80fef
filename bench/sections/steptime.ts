/**
 * Step time in the default configuration against bare `playwright test` (bench/bare/login.spec.ts,
 * the same locators): per step, the median over the runs, and the ratio; also `--trace
 * retain-on-failure` (the old default, tracing every journey) and, with --baseline, that checkout's default.
 */
import { startReplica } from '../../src/replica/server.ts';
import { DEMO_USER } from '../../src/replica/users.ts';
import { STEPS } from '../peers/login-steps.mjs';
import { fmt, median, ratio, replicaProfile, runBare, runOurs, timeLeft, type BenchContext, type SectionResult } from '../common.ts';

export async function steptime(ctx: BenchContext): Promise<SectionResult> {
  const runs = ctx.quick ? 1 : 9;
  const variants: Array<{ name: string; run: (profile: string, origin: string) => Promise<Record<string, number> | undefined> }> = [
    { name: 'ours, default (--trace on-failure)', run: async (p) => ok(await runOurs(p, ['--journeys', 'login'], { credentials: DEMO_USER })) },
    { name: 'ours, --trace retain-on-failure (the old default)', run: async (p) => ok(await runOurs(p, ['--journeys', 'login', '--trace', 'retain-on-failure'], { credentials: DEMO_USER })) },
    ...(ctx.baseline ? [{ name: `baseline ${ctx.baseline}, its default`, run: async (p: string) => ok(await runOurs(p, ['--journeys', 'login'], { root: ctx.baseline as string, credentials: DEMO_USER })) }] : []),
    {
      name: 'bare playwright test',
      run: async (_p, origin) => {
        const r = await runBare('login.spec.ts', { BENCH_BASE: origin, BENCH_USER: DEMO_USER.username, BENCH_PASS: DEMO_USER.password });
        const first = r.runs[0];
        return first?.ok ? first.steps : undefined;
      },
    },
  ];
  const got = new Map<string, Array<Record<string, number>>>(variants.map((v) => [v.name, []]));
  let cut = false;
  const replica = await startReplica({});
  try {
    const profile = replicaProfile(replica.origin);
    for (let i = 0; i < runs && !cut; i++) {
      // interleaved, so that a change in the machine's load falls on every variant alike
      for (const v of variants) {
        if (i > 0 && !timeLeft(ctx)) {
          cut = true;
          break;
        }
        const steps = await v.run(profile, replica.origin);
        if (steps) got.get(v.name)?.push(steps);
        ctx.log(`steptime ${v.name}: ${steps ? STEPS.map((s) => `${s} ${fmt(steps[s] ?? NaN)}`).join(' ') : 'failed'}`);
      }
    }
  } finally {
    await replica.stop();
  }
  const med = (name: string, step: string) => median((got.get(name) ?? []).map((s) => s[step] ?? NaN));
  const bare = variants.at(-1)?.name as string;
  const rows = variants.map((v) => `| ${v.name} | ${got.get(v.name)?.length ?? 0} | ${STEPS.map((s) => `${fmt(med(v.name, s))} (${ratio(med(v.name, s), med(bare, s))})`).join(' | ')} |`);
  const data = Object.fromEntries(variants.map((v) => [v.name, { runs: got.get(v.name)?.length ?? 0, medians: Object.fromEntries(STEPS.map((s) => [s, med(v.name, s)])), ratioToBare: Object.fromEntries(STEPS.map((s) => [s, med(v.name, s) / med(bare, s)])) }]));
  const def = variants[0]?.name as string;
  const verdict = STEPS.map((st) => {
    const r = med(def, st) / med(bare, st);
    return Number.isFinite(r) ? `${st} ${r.toFixed(2)}× (${r <= 1.05 ? 'met' : `missed by ${((r - 1.05) * 100).toFixed(0)} points`})` : `${st} –`;
  }).join(', ');
  return {
    title: 'Step time: the default mode against bare Playwright',
    markdown: `The login journey's three browser steps, same replica, same Chromium and flags; median ms over the runs
(${runs} requested${cut ? ', cut short by the time limit' : ''}, variants interleaved) and, in brackets, the ratio to bare
\`playwright test\` (target: within 1.05× for every step in the default configuration). The search journey has
no bare counterpart yet: its step times are not compared.

| variant | runs | ${STEPS.join(' | ')} |
|---|---|${STEPS.map(() => '---').join('|')}|
${rows.join('\n')}

Target (default mode within 1.05× of bare for every step): ${verdict}.
`,
    data: { runsRequested: runs, cut, variants: data },
  };
}

function ok(r: { code: number | null; parsed: { ok: boolean; steps: Record<string, number> } }): Record<string, number> | undefined {
  return r.code === 0 && r.parsed.ok ? r.parsed.steps : undefined;
}
