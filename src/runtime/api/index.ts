/**
 * The package's public entry, what a user's own journeys import:
 *
 *   import { expect, journey, step } from 'perfpulse-journeys';
 *
 * `journey()`, `step()`, `record()`, `expect`, `test`, `secretly()` and the fixtures' types
 * (./journey.ts), and the helpers the built-in journeys share: the login form (./login-form.ts),
 * Advanced Search (./advanced-search.ts), `blockForeignHosts` (./page-helpers.ts).
 * package.json's `exports` maps 'perfpulse-journeys' to the compiled form of this file.
 */
export * from './journey.ts';
export * from './advanced-search.ts';
export * from './page-helpers.ts';
export type { LoginForm } from './login-form.ts';
export type { Credentials } from '../../config/credentials.ts';
export type { UrlRole } from '../../config/profile.ts';
export type { MeasureKey } from '../../metrics/catalog.ts';
