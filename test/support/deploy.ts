/** Reads the PromQL out of deploy/: Grafana dashboard queries, alert rules, and the metric names in an expression. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Metrics the Pushgateway adds to every pushed group; they are not ours, so not in the catalog. */
export const PUSHGATEWAY_METRICS = ['push_time_seconds', 'push_failure_time_seconds'] as const;

export interface DashboardQuery {
  /** "panel 3 'Step duration' A" or "variable env" */
  where: string;
  expr: string;
  /** true for a panel target, false for a template variable's query */
  panel: boolean;
}

interface Panel {
  id?: number;
  title?: string;
  type?: string;
  panels?: Panel[];
  targets?: { refId?: string; expr?: string }[];
}

interface Dashboard {
  panels?: Panel[];
  templating?: { list?: { name: string; type: string; query?: string | { query?: string } }[] };
}

/** Every panel target (rows included) and every query variable of a Grafana dashboard. */
export function dashboardQueries(dash: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        if (t.expr) out.push({ where: `panel ${p.id} '${p.title}' ${t.refId}`, expr: t.expr, panel: true });
      }
      walk(p.panels ?? []);
    }
  };
  walk(dash.panels ?? []);
  for (const v of dash.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (q) out.push({ where: `variable ${v.name}`, expr: q, panel: false });
  }
  return out;
}

/** The alerting and recording rules of a Prometheus rule file. */
export function ruleExpressions(file: string): { alert: string; expr: string }[] {
  const doc = parse(readFileSync(file, 'utf8')) as { groups: { rules: { alert?: string; record?: string; expr: string }[] }[] };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ alert: r.alert ?? r.record ?? '?', expr: String(r.expr) })));
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/**
 * The metric names an expression selects, in order of first use. Good enough for the PromQL we
 * write (and Grafana's label_values()): strings, label matchers, ranges and grouping label lists are
 * dropped, functions are identifiers followed by "(", the rest are metric names.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/label_values\(\s*([^,)]*?)\s*(,\s*\w+\s*)?\)/g, ' $1 ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names: string[] = [];
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    const [token, call] = [m[0].replace(/\s*\($/, ''), m[1]];
    if (call || KEYWORDS.has(token.toLowerCase())) continue;
    if (/\d$/.test(stripped.slice(0, m.index))) continue; // the exponent of 1e3
    if (!names.includes(token)) names.push(token);
  }
  return names;
}
