/**
 * `metrics lint`: checks any Prometheus text exposition (ours, a Pushgateway's /metrics, anyone's)
 * against the naming guide of the original perfPulse README, which is binding for this project.
 * Pure: text in, findings out. Every finding names its rule; every rule is an error.
 */
import { parseExposition, type Family } from './parse.ts';

export const LINT_RULES = {
  'snake-case': 'metric and label names are lower-case snake_case',
  prefix: 'metric names start with perfpulse_<area>_ (perfpulse_usersim_, perfpulse_k8s_, ...)',
  'base-unit': 'the name ends in a base unit (_seconds, _bytes, _ratio, _count, ...), not ms/kb/percent; 0/1 states, _info and counters of events (_total) are exempt',
  'unitless-duration': 'a duration, latency or time is named in _seconds',
  'total-only-counters': '_total only on counters',
  'counter-total': 'a counter ends in _total',
  'help-present': 'every metric has a HELP text',
  'label-name-cardinality': 'no label for users, ids, URLs, IPs, e-mails, sessions or error texts',
  'label-value-cardinality': 'label values are low-cardinality words, never URLs, e-mails, UUIDs, IPs or numbers',
  'label-consistency': 'one label name per meaning: cluster, not cluster_name or cluster_id',
  'one-name-per-concept': 'one metric name reused with labels, not one name per kind (…_get_pods_latency_seconds, …_get_nodes_latency_seconds)',
} as const;
export type LintRule = keyof typeof LINT_RULES;

export interface Finding {
  rule: LintRule;
  metric: string;
  message: string;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const PREFIX = /^perfpulse_[a-z][a-z0-9]*_[a-z0-9]/;
/** Base units (and unit-like endings) a name may end in, longest first. */
const UNITS = ['bytes_per_second', 'timestamp_seconds', 'seconds', 'bytes', 'ratio', 'info', 'count', 'celsius', 'meters', 'volts', 'amperes', 'joules', 'grams'];
const NON_BASE_UNITS = ['ms', 'millis', 'milliseconds', 'us', 'microseconds', 'ns', 'nanoseconds', 'minutes', 'hours', 'days', 'kb', 'mb', 'gb', 'kilobytes', 'megabytes', 'gigabytes', 'bits', 'percent', 'pct'];
const DURATION_WORDS = ['duration', 'latency', 'time', 'elapsed', 'delay', 'wait', 'uptime', 'age', 'ttfb', 'rtt'];
const BAD_LABEL_NAMES = ['user', 'username', 'userid', 'email', 'ip', 'ip_address', 'url', 'uri', 'id', 'uuid', 'session', 'token', 'error', 'message', 'query'];
const BAD_LABEL_SUFFIXES = ['_id', '_uuid', '_url', '_uri', '_email', '_ip', '_session', '_token', '_error', '_message'];
/** The seed's label names; `<name>_<suffix>` spellings of them are the inconsistency the guide warns about. */
const SEED_LABELS = ['cluster', 'namespace', 'kind', 'env', 'journey', 'step', 'page'];
/** Label names whose values are numbers by definition. */
const NUMERIC_LABELS = ['le', 'quantile'];

const VALUE_SHAPES: Array<[string, RegExp]> = [
  ['a URL', /^[a-z][a-z0-9+.-]*:\/\/|^www\./i],
  ['an e-mail address', /^[^@\s]+@[^@\s]+\.[^@\s]+$/],
  ['a UUID', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['an IP address', /^(\d{1,3}\.){3}\d{1,3}(:\d+)?$|^\[?[0-9a-f]*:[0-9a-f:]+\]?(:\d+)?$/i],
  ['a number', /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i],
];

const strip = (name: string) => name.replace(/_total$/, '');
const endsWithUnit = (name: string, units: readonly string[]) => units.some((u) => strip(name) === u || strip(name).endsWith(`_${u}`));

/** A counter of events (`…_requests_total`): the thing counted is its unit, as in Prometheus' own names. */
function isEventCounter(f: Family): boolean {
  return f.type === 'counter' && f.name.endsWith('_total');
}

function isZeroOneState(f: Family): boolean {
  return f.type !== 'counter' && f.samples.every((s) => s.value === 0 || s.value === 1);
}

function nameRules(f: Family): Finding[] {
  const out: Finding[] = [];
  const add = (rule: LintRule, message: string) => out.push({ rule, metric: f.name, message });
  const lower = f.name.toLowerCase();
  if (!SNAKE.test(f.name)) add('snake-case', 'metric name is not lower-case snake_case');
  if (!PREFIX.test(lower)) add('prefix', 'metric name does not start with perfpulse_<area>_ (e.g. perfpulse_usersim_, perfpulse_k8s_)');
  const words = strip(lower).split('_');
  if (endsWithUnit(lower, NON_BASE_UNITS)) {
    add('base-unit', `unit _${words.at(-1)} is not a base unit: use _seconds, _bytes or _ratio`);
  } else if (words.some((w) => DURATION_WORDS.includes(w)) && !endsWithUnit(lower, ['seconds'])) {
    add('unitless-duration', 'a duration without its unit: end the name in _seconds');
  } else if (!endsWithUnit(lower, UNITS) && !isZeroOneState(f) && !isEventCounter(f)) {
    add('base-unit', 'no unit in the name: end it in _seconds, _bytes, _ratio, ... (0/1 states are exempt)');
  }
  if (lower.endsWith('_total') && f.type !== undefined && f.type !== 'counter') add('total-only-counters', `_total on a ${f.type}: only counters end in _total`);
  if (f.type === 'counter' && !lower.endsWith('_total')) add('counter-total', 'a counter whose name does not end in _total');
  if (!f.help?.trim()) add('help-present', 'no HELP text');
  return out;
}

function labelRules(f: Family, allLabelNames: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add = (rule: LintRule, key: string, message: string) => {
    if (seen.has(`${rule}:${key}`)) return;
    seen.add(`${rule}:${key}`);
    out.push({ rule, metric: f.name, message });
  };
  for (const s of f.samples) {
    for (const [label, value] of Object.entries(s.labels)) {
      if (!SNAKE.test(label)) add('snake-case', label, `label name ${label} is not lower-case snake_case`);
      const lower = label.toLowerCase();
      if (BAD_LABEL_NAMES.includes(lower) || BAD_LABEL_SUFFIXES.some((x) => lower.endsWith(x))) {
        add('label-name-cardinality', label, `label ${label} names something of high cardinality (users, ids, URLs, IPs, errors)`);
      } else {
        const base = SEED_LABELS.find((b) => lower.startsWith(`${b}_`)) ?? [...allLabelNames].find((b) => b !== lower && lower.startsWith(`${b}_`));
        if (base) add('label-consistency', label, `label ${label}: the same meaning is called ${base} elsewhere; use ${base}`);
      }
      if (NUMERIC_LABELS.includes(label) || value === '') continue;
      const shape = VALUE_SHAPES.find(([, re]) => re.test(value));
      if (shape) add('label-value-cardinality', label, `label ${label} has a value that looks like ${shape[0]} (${JSON.stringify(value.slice(0, 60))}): high cardinality`);
    }
  }
  return out;
}

/**
 * Names that differ in exactly one inner word (neither the area's first word nor the word before the
 * unit) are one concept spelled as several names: the word belongs in a label.
 */
function conceptRule(families: readonly Family[]): Finding[] {
  const groups = new Map<string, string[]>();
  for (const f of families) {
    const words = f.name.split('_');
    const unitAt = UNITS.some((u) => f.name.endsWith(`_${u}`)) ? words.length - 1 : words.length;
    // inner words: after perfpulse_<area>_<first>, before <word before unit>_<unit>
    for (let i = 3; i < unitAt - 1; i++) {
      const key = `${f.type ?? ''}|${words.slice(0, i).join('_')}|*|${words.slice(i + 1).join('_')}`;
      groups.set(key, [...(groups.get(key) ?? []), f.name]);
    }
  }
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const names of groups.values()) {
    if (names.length < 2 || names.some((n) => reported.has(n))) continue;
    names.forEach((n) => reported.add(n));
    out.push({ rule: 'one-name-per-concept', metric: names[0] as string, message: `${names.join(', ')} differ in one word only: use one name and put that word in a label (e.g. kind)` });
  }
  return out;
}

/** Findings for an exposition text; throws ExpositionError when it is not valid exposition text. */
export function lintExposition(text: string): Finding[] {
  const families = parseExposition(text);
  const labelNames = new Set(families.flatMap((f) => f.samples.flatMap((s) => Object.keys(s.labels))));
  const findings = families.flatMap((f) => [...nameRules(f), ...labelRules(f, labelNames)]);
  return [...findings, ...conceptRule(families)];
}

/** One line per finding: `<metric>: [<rule>] <message>`. */
export function formatFinding(f: Finding): string {
  return `${f.metric}: [${f.rule}] ${f.message}`;
}
