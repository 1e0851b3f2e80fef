/** The journeys this installation has: one `journeys/<name>.journey.ts` file each. */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../errors.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const JOURNEYS_DIR = join(PROJECT_ROOT, 'journeys');
const SUFFIX = '.journey.ts';

export function availableJourneys(): string[] {
  return readdirSync(JOURNEYS_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/** Validates `--journeys a,b` (all when empty) and returns the names in run order. */
export function selectJourneys(list: string | undefined): string[] {
  const all = availableJourneys();
  if (!list) return all;
  const wanted = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new UserError(`unknown journey ${unknown.join(', ')}: available are ${all.join(', ')}`);
  if (!wanted.length) throw new UserError('--journeys is empty');
  return wanted;
}

export function journeyFile(name: string): string {
  return join(JOURNEYS_DIR, `${name}${SUFFIX}`);
}
