/**
 * The kinds the kubectl-latency probe lists, without loading @kubernetes/client-node (its import
 * costs seconds, so only the k8s probe itself loads it).
 */
import { UserError } from '../../errors.ts';

/** Page size of a list, as kubectl's default `--chunk-size`. */
export const LIST_LIMIT = 500;

export const KIND_NAMES = ['pods', 'jobs', 'deployments', 'services', 'configmaps', 'events', 'replicasets', 'statefulsets', 'nodes'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** The seed's default list of kinds. */
export const DEFAULT_KINDS: readonly KindName[] = ['pods', 'jobs', 'deployments', 'services', 'configmaps', 'events'];

/** Parses `--kinds a,b`; unknown kinds are bad input. */
export function parseKinds(value: string | undefined): KindName[] {
  if (!value) return [...DEFAULT_KINDS];
  const kinds = [...new Set(value.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean))];
  const unknown = kinds.filter((k) => !(KIND_NAMES as readonly string[]).includes(k));
  if (unknown.length || !kinds.length) {
    throw new UserError(`unknown kind ${unknown.join(', ') || '(none)'}: use some of ${KIND_NAMES.join(', ')}`);
  }
  return kinds as KindName[];
}

/** The `kind` label of a list, as the seed: `get_pods`. */
export function kindLabel(kind: string): string {
  return `get_${kind}`;
}
