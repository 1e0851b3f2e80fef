/**
 * What `@playwright/test` is to a journey file while the CLI only reads its declaration
 * (./declarations.ts, `declareWithoutPlaywright`): a stand-in that absorbs every call, property
 * and `extend()` made at a journey module's top level. Reading a declaration runs no test and
 * starts no browser, so nothing real is needed, and the CLI no longer loads Playwright's test
 * runner (~0.35 s of CPU) for it; the `playwright test` child loads the real one.
 */
const absorb: object = new Proxy(function standIn() {}, {
  get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : absorb),
  apply: () => absorb,
  construct: () => absorb,
});

export const test = absorb;
export const expect = absorb;
export const devices = absorb;
export const chromium = absorb;
export const firefox = absorb;
export const webkit = absorb;
export const request = absorb;
export const selectors = absorb;
export const errors = absorb;
export const defineConfig = absorb;
export const mergeTests = absorb;
export const mergeExpects = absorb;
export default absorb;
