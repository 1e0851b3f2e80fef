#!/usr/bin/env node
// Entry point. The sources are TypeScript that Node (>= 22.18) runs directly; inside the project
// `npx perfpulse-journeys` uses the Node 24 that package.json pins.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `perfpulse-journeys: needs Node >= 22.18 (this is ${process.versions.node}); run it with npx inside the project, which uses the pinned Node 24\n`,
  );
  process.exit(2);
}
await import('../src/cli/main.ts');
