/**
 * Where this code runs from. In this checkout Node runs the TypeScript sources (it strips their
 * types); in an installed package (under node_modules, where Node strips no types) it runs the
 * compiled JavaScript in `dist/` (docs/decisions.md, "Shipping compiled JavaScript"). The two
 * differ in three paths, all here:
 *
 *   from the sources   CODE_ROOT = PACKAGE_ROOT = the checkout   playwright.config.ts, journeys/*.journey.ts
 *   from dist/         CODE_ROOT = <package>/dist                dist/playwright.config.js, dist/journeys/*.journey.js
 *                      PACKAGE_ROOT = <package>                  package.json, deploy/, bin/
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** True when this is the compiled package (dist/src/package.js), false for the sources (src/package.ts). */
export const COMPILED = here.endsWith('.js');

/** The folder of playwright.config and journeys/: the checkout, or the package's dist/. */
export const CODE_ROOT = resolve(dirname(here), '..');

/** The folder of package.json, bin/ and deploy/: the checkout, or the installed package. */
export const PACKAGE_ROOT = COMPILED ? resolve(CODE_ROOT, '..') : CODE_ROOT;

/** What a TypeScript file of ours is called where this code runs: `x.ts` from the sources, `x.js` compiled. */
export const CODE_EXT = COMPILED ? '.js' : '.ts';

export const PACKAGE: {
  name: string;
  version: string;
  engines: { node: string };
  /** `node`: the Node this project pins (the npm `node` package). */
  devDependencies?: Record<string, string>;
} = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
