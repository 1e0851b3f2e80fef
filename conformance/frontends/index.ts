/**
 * The front ends `npm run conformance` serves, in the order the proxy asks them whether they own a
 * request (the first that does answers it; everything else goes to the replica).
 *
 * Adding one is one line in FRONT_ENDS: `frontEnd(await import('./<name>.ts')),` where ./<name>.ts
 * exports its FrontEnd (../frontend.ts), as its default export or as its only FrontEnd-shaped export.
 */
import type { FrontEnd } from '../frontend.ts';

export const FRONT_ENDS: readonly FrontEnd[] = [
  frontEnd(await import('./caom2ui.ts')),
  frontEnd(await import('./storage-ui.ts')),
  frontEnd(await import('./science-portal.ts')),
];

/** The FrontEnd a module exports: its default export, else its one export shaped like a FrontEnd. */
export function frontEnd(mod: Record<string, unknown>): FrontEnd {
  if (isFrontEnd(mod.default)) return mod.default;
  const found = Object.values(mod).filter(isFrontEnd);
  if (found.length !== 1) throw new Error(`a front-end module must export one FrontEnd (found ${found.length})`);
  return found[0] as FrontEnd;
}

function isFrontEnd(v: unknown): v is FrontEnd {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return typeof f.name === 'string' && typeof f.repo === 'string' && Array.isArray(f.journeys) && Array.isArray(f.fromReplica) &&
    typeof f.owns === 'function' && typeof f.check === 'function' && typeof f.start === 'function';
}
