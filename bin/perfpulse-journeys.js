#!/usr/bin/env node
// Entry point. In this checkout Node runs the TypeScript sources (it strips their types); installed
// from the package, under node_modules, where Node strips no types, it runs the compiled dist/
// (docs/decisions.md, "Shipping compiled JavaScript"). Inside a project `npx perfpulse-journeys`
// uses the Node the project pins (the npm `node` package).
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';

// Node's compile cache (in the temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off) keeps
// compiled code, and the sources' stripped types, between runs: about half the CLI's start-up CPU.
// The `playwright test` child gets the same folder (src/runtime/runner/launch.ts).
module.enableCompileCache?.();

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const [needMajor, needMinor] = /(\d+)\.(\d+)/.exec(pkg.engines.node).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    `perfpulse-journeys: needs Node ${pkg.engines.node} (this is ${process.versions.node}); run it with npx inside a project that pins Node (perfpulse-journeys init makes one)\n`,
  );
  process.exit(2);
}
const source = new URL('../src/cli/main.ts', import.meta.url);
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (!import.meta.url.includes('/node_modules/') && existsSync(source)) await import(source.href);
else if (existsSync(compiled)) await import(compiled.href);
else {
  process.stderr.write(`perfpulse-journeys: ${compiled.pathname} is missing: this package was not built (npm pack builds it)\n`);
  process.exit(70);
}
