/**
 * A parser for the Prometheus text exposition format (version 0.0.4), strict enough to reject
 * what a Pushgateway or Prometheus would. Used to read a gateway's /metrics back and, later, by
 * `metrics lint`.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help?: string;
  type?: string;
  samples: Sample[];
}

export class ExpositionError extends Error {}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+(-?\\d+))?$`);
const LABEL_PAIR = new RegExp(`^\\s*(${LABEL})="((?:[^"\\\\]|\\\\.)*)"\\s*(?:,|$)`);

function parseLabels(text: string, lineNo: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.trim()) {
    const m = LABEL_PAIR.exec(rest);
    if (!m) throw new ExpositionError(`line ${lineNo}: bad label set {${text}}`);
    const [whole, key = '', raw = ''] = m;
    if (key in labels) throw new ExpositionError(`line ${lineNo}: label ${key} repeated`);
    labels[key] = raw.replace(/\\(["\\n])/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseValue(raw: string, lineNo: number): number {
  if (raw === '+Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  if (raw === 'NaN') return NaN;
  const v = Number(raw);
  if (raw === '' || Number.isNaN(v)) throw new ExpositionError(`line ${lineNo}: bad value ${raw}`);
  return v;
}

/** The family a sample belongs to: histogram/summary suffixes map to their base name. */
function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const f = families.get(sample.slice(0, -suffix.length));
    if (f && (f.type === 'histogram' || f.type === 'summary')) return f;
  }
  return undefined;
}

export function parseExposition(text: string): Family[] {
  const families = new Map<string, Family>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (!line.trim()) return;
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${NAME})(?: (.*))?$`).exec(line);
      if (!m) return; // a plain comment
      const [, kind, name = '', rest = ''] = m;
      const fam = families.get(name) ?? { name, samples: [] };
      families.set(name, fam);
      if (kind === 'HELP') {
        if (fam.help !== undefined) throw new ExpositionError(`line ${lineNo}: second HELP for ${name}`);
        fam.help = rest;
      } else {
        if (fam.type !== undefined) throw new ExpositionError(`line ${lineNo}: second TYPE for ${name}`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
          throw new ExpositionError(`line ${lineNo}: unknown type ${rest}`);
        }
        if (fam.samples.length) throw new ExpositionError(`line ${lineNo}: TYPE for ${name} after its samples`);
        fam.type = rest;
      }
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new ExpositionError(`line ${lineNo}: not a sample: ${line.slice(0, 80)}`);
    const [, name = '', labelText, rawValue = ''] = m;
    const sample: Sample = { name, labels: parseLabels(labelText ?? '', lineNo), value: parseValue(rawValue, lineNo) };
    const fam = familyOf(name, families) ?? { name, samples: [] };
    families.set(fam.name, fam);
    fam.samples.push(sample);
  });
  return [...families.values()];
}

/** All samples of one metric name, across families. */
export function samplesOf(families: readonly Family[], name: string): Sample[] {
  return families.flatMap((f) => f.samples.filter((s) => s.name === name));
}
