/**
 * Performance budgets: `--budgets <file>` or `budgets:` in an env profile, validated strictly with
 * zod. YAML, seconds (CLS unit-less):
 *
 *   login:
 *     submit_credentials: { warn: 2, fail: 5 }     # a step
 *     _journey: { warn: 5, fail: 10 }              # the whole journey (first step start to last step end)
 *     _pages:                                       # Web Vitals of a page (its `page` label) in this journey
 *       access_login: { lcp: { warn: 2.5, fail: 4 }, cls: { fail: 0.25 } }
 *
 * Each limit has `warn`, `fail` or both (warn <= fail), positive numbers. The shape is checked
 * here; that every journey and step exists is checked against the journeys' declarations by the
 * CLI (src/cli/budgets.ts), which config cannot read. A mistake is one line, exit 2.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { SLUG } from '../metrics/labels.ts';

/** Warn and fail limits, seconds (unit-less for CLS). */
export interface Limits {
  warn?: number;
  fail?: number;
}

/** Web Vitals a page budget may name: the per-page gauges of the catalog (src/metrics/catalog.ts). */
export const BUDGET_VITALS = ['ttfb', 'fcp', 'lcp', 'inp', 'cls', 'dom_content_loaded', 'load'] as const;
export type BudgetVital = (typeof BUDGET_VITALS)[number];

export interface JourneyBudgets {
  steps: Record<string, Limits>;
  journey?: Limits;
  pages: Record<string, Partial<Record<BudgetVital, Limits>>>;
}

/** Budgets per journey, and where they came from (for messages). */
export interface Budgets {
  source: string;
  journeys: Record<string, JourneyBudgets>;
}

const LIMITS = z
  .strictObject({ warn: z.number().positive().optional(), fail: z.number().positive().optional() })
  .refine((l) => l.warn !== undefined || l.fail !== undefined, 'give warn, fail or both (seconds)')
  .refine((l) => l.warn === undefined || l.fail === undefined || l.warn <= l.fail, 'warn must not be above fail');
const VITALS = z.strictObject(Object.fromEntries(BUDGET_VITALS.map((v) => [v, LIMITS.optional()])) as Record<BudgetVital, z.ZodOptional<typeof LIMITS>>);
const SLUG_KEY = z.string().regex(SLUG, 'must be a slug (lower-case letters, digits and _)');
const PAGES = z.record(SLUG_KEY, VITALS);

/** What a mapping at `at` may hold, for an unknown key's message. */
const path0 = (at: string) => (/\._pages\.[^.]+$/.test(at) ? BUDGET_VITALS.join(', ') : 'warn, fail');

/** `a.b.c` of an issue's path, after the place it was found. */
const where = (base: string, path: readonly PropertyKey[]) => [base, ...path.map(String)].filter(Boolean).join('.');

function checked<T>(schema: z.ZodType<T>, value: unknown, at: string, source: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  const at2 = where(at, issue.path);
  const known = issue.code === 'unrecognized_keys' ? ` (known: ${path0(at2)})` : '';
  throw new UserError(`budgets ${source}: ${at2 || '(top)'}: ${issue.message}${known}`);
}

/** Validates parsed YAML (a mapping of journey to budgets); `source` names it in messages. */
export function parseBudgets(raw: unknown, source: string): Budgets {
  const doc = checked(z.record(SLUG_KEY, z.record(z.string(), z.unknown())), raw ?? {}, '', source);
  const journeys: Record<string, JourneyBudgets> = {};
  for (const [journey, entries] of Object.entries(doc)) {
    const out: JourneyBudgets = { steps: {}, pages: {} };
    for (const [key, value] of Object.entries(entries)) {
      if (key === '_journey') out.journey = checked(LIMITS, value, `${journey}._journey`, source);
      else if (key === '_pages') out.pages = checked(PAGES, value, `${journey}._pages`, source);
      else {
        checked(SLUG_KEY, key, `${journey}.${key}`, source);
        out.steps[key] = checked(LIMITS, value, `${journey}.${key}`, source);
      }
    }
    journeys[journey] = out;
  }
  return { source, journeys };
}

/** Reads `--budgets <file>`. */
export function loadBudgetsFile(file: string): Budgets {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read budgets ${file}: ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UserError(`budgets ${file} is not valid YAML: ${String((err as Error).message).split('\n')[0]}`);
  }
  return parseBudgets(doc, file);
}
