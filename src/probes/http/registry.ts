/**
 * The CADC service probes, in the order a run schedules them (the per-service ones first, then the
 * per-host check). Adding a probe: a file of this folder exporting an HttpProbe (./probe.ts), its
 * line here, and its row in docs/probes.md.
 */
import { availability } from './availability.ts';
import { capabilities } from './capabilities.ts';
import { dataPubRedirect } from './data-pub-redirect.ts';
import { hostCheck } from './host-check.ts';
import type { HttpProbe } from './probe.ts';
import { resourceCaps } from './resource-caps.ts';
import { sessionList } from './session-list.ts';
import { tapSyncQuery } from './tap-sync-query.ts';
import { tokenLogin } from './token-login.ts';

export const HTTP_PROBES: readonly HttpProbe[] = [availability, capabilities, hostCheck, resourceCaps, tapSyncQuery, dataPubRedirect, tokenLogin, sessionList];
