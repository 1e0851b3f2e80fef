/**
 * The rooms of src/ and journeys/ and the directions imports may take between them
 * (docs/architecture.md). Data flows config → runner → results → metrics → push / report, and a
 * room imports only what lies upstream of it; the results model, which imports nothing, is read by
 * the runner that writes it too. So metrics never import the runner, and push only delivers what
 * metrics made. Every import is read with TypeScript's own pre-processor (static, type-only,
 * re-exports and dynamic import()); the cli may import anything.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from '../src/runtime/runner/journeys.ts';

type Room =
  | 'shared'
  | 'vocabulary'
  | 'results'
  | 'config'
  | 'journey-api'
  | 'runner'
  | 'metrics'
  | 'push'
  | 'report'
  | 'probes'
  | 'record'
  | 'replica'
  | 'cli'
  | 'journeys';

/** Which files make each room: a path, or a folder (ending in /). The longest match wins. */
const ROOMS: Record<Room, string[]> = {
  // plain helpers every room may use
  shared: ['src/errors.ts', 'src/net.ts', 'src/package.ts'],
  // metric names, jobs and label rules (the naming guide's one place): read by every room that names a series or a step
  vocabulary: ['src/metrics/catalog.ts', 'src/metrics/catalog-probes.ts', 'src/metrics/labels.ts'],
  results: ['src/results/'],
  config: ['src/config/'],
  // what a journey author imports: journey(), step(), record(), the fixtures, the shared page helpers
  'journey-api': ['src/runtime/api/'],
  // the Playwright runner (runner/), its reporters (reporters/), the browser (browser/) and the collectors (collectors/)
  runner: ['src/runtime/'],
  metrics: ['src/metrics/'],
  push: ['src/push/'],
  report: ['src/report/'],
  probes: ['src/probes/'],
  // `record <name>`: an entry point like the CLI (it starts the recorder and, for --env local, the replica)
  record: ['src/record/'],
  replica: ['src/replica/'],
  cli: ['src/cli/'],
  journeys: ['journeys/'],
};

const EVERYTHING = Object.keys(ROOMS) as Room[];

/** What each room may import besides itself. */
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  shared: [],
  vocabulary: [],
  results: [],
  config: ['vocabulary', 'shared'],
  'journey-api': ['runner', 'config', 'results', 'vocabulary', 'shared'],
  runner: ['journey-api', 'config', 'results', 'vocabulary', 'shared'],
  metrics: ['results', 'vocabulary', 'shared'],
  push: ['metrics', 'vocabulary', 'shared'],
  report: ['results', 'vocabulary', 'shared'],
  // probes measure and return results; their bodies are made in metrics, delivered by push, wired by the cli
  probes: ['config', 'results', 'vocabulary', 'shared'],
  record: ['config', 'runner', 'journey-api', 'replica', 'vocabulary', 'shared'],
  // the bundled replica stands in for the portals: nothing of the harness
  replica: ['shared'],
  // the entry point wires the rooms together, and starts the bundled replica for --env local
  cli: EVERYTHING,
  // journeys are written against the journey API only
  journeys: ['journey-api'],
};

/**
 * Imports against the directions above that are known and not fixed yet: `from -> to` (files),
 * each with why. The list can only shrink: an entry that no longer occurs fails the test too.
 * Issue 14 is where they are to be fixed.
 */
const KNOWN_EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [];

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => relative(PROJECT_ROOT, join(d.parentPath, d.name)).split('\\').join('/'))
    .sort();
}

/** Every import of our own files (relative specifiers) in `file`, resolved to a path from the project root. */
function importsOf(file: string, text = readFileSync(join(PROJECT_ROOT, file), 'utf8')): Import[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ from: file, to: posix.normalize(posix.join(posix.dirname(file), spec)) }));
}

function roomOf(file: string): Room | undefined {
  let best: { room: Room; length: number } | undefined;
  for (const [room, paths] of Object.entries(ROOMS) as Array<[Room, string[]]>) {
    for (const p of paths) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (hit && (!best || p.length > best.length)) best = { room, length: p.length };
    }
  }
  return best?.room;
}

/** Imports that go against MAY_IMPORT, as `from (room) -> to (room)` lines. */
function violations(imports: readonly Import[]): string[] {
  const out: string[] = [];
  for (const { from, to } of imports) {
    const a = roomOf(from);
    const b = roomOf(to);
    if (!a || !b) {
      out.push(`${from} -> ${to}: ${!a ? from : to} is in no room`);
      continue;
    }
    if (a !== b && !MAY_IMPORT[a].includes(b)) out.push(`${from} (${a}) -> ${to} (${b})`);
  }
  return out;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('journeys')];
const IMPORTS = FILES.flatMap((f) => importsOf(f));
const isKnown = (i: Import) => KNOWN_EXCEPTIONS.some((e) => e.from === i.from && e.to === i.to);

describe('architecture: rooms and the directions of imports', () => {
  it('reads the imports of every file of src/ and journeys/, and each names a file that exists', () => {
    assert.ok(FILES.length > 100 && IMPORTS.length > 200, `${FILES.length} files, ${IMPORTS.length} imports`);
    assert.ok(IMPORTS.some((i) => i.from === 'src/probes/plan.ts' && i.to === 'src/probes/k8s/config.ts'), 'a dynamic import() is read');
    assert.ok(IMPORTS.some((i) => i.from === 'src/cli/iteration.ts' && i.to === 'src/results/results.ts'), 'a type-only import is read');
    for (const i of IMPORTS) assert.ok(existsSync(join(PROJECT_ROOT, i.to)), `${i.from} imports ${i.to}, which does not exist`);
  });

  it('every file is in a room', () => {
    assert.deepEqual(FILES.filter((f) => !roomOf(f)), [], 'declare new folders in ROOMS (and docs/architecture.md)');
  });

  it('no import goes against the flow config → runner → results → metrics → push / report', () => {
    assert.deepEqual(violations(IMPORTS.filter((i) => !isKnown(i))), []);
  });

  it('the known exceptions still occur (fix one, then strike it)', () => {
    for (const e of KNOWN_EXCEPTIONS) assert.ok(IMPORTS.some((i) => i.from === e.from && i.to === e.to), `${e.from} -> ${e.to} no longer occurs`);
  });

  it('production code never imports the replica: only the entry points that start it for --env local', () => {
    const importers = new Set(IMPORTS.filter((i) => roomOf(i.to) === 'replica' && roomOf(i.from) !== 'replica').map((i) => roomOf(i.from)));
    assert.deepEqual([...importers].sort(), ['cli', 'record']);
  });

  it('the results model imports nothing: every room may read it', () => {
    assert.deepEqual(IMPORTS.filter((i) => roomOf(i.from) === 'results' && roomOf(i.to) !== 'results'), []);
  });

  it('the check fails on an import against the flow (the checker itself can fail)', () => {
    const bad = (from: string, line: string) => violations(importsOf(from, line));
    assert.deepEqual(bad('src/results/run.ts', "import type { Registry } from '../metrics/exposition.ts';"), ['src/results/run.ts (results) -> src/metrics/exposition.ts (metrics)']);
    assert.deepEqual(bad('src/push/deliver.ts', "const r = await import('../runtime/runner/launch.ts');"), ['src/push/deliver.ts (push) -> src/runtime/runner/launch.ts (runner)']);
    assert.deepEqual(bad('src/metrics/exposition.ts', "export { x } from '../push/spool.ts';"), ['src/metrics/exposition.ts (metrics) -> src/push/spool.ts (push)']);
    assert.deepEqual(bad('src/probes/plan.ts', "import { matchRoute } from '../replica/http.ts';"), ['src/probes/plan.ts (probes) -> src/replica/http.ts (replica)']);
    assert.deepEqual(bad('src/probes/http/run.ts', "import { gatewaySink } from '../../push/sink.ts';"), ['src/probes/http/run.ts (probes) -> src/push/sink.ts (push)']);
    assert.deepEqual(bad('journeys/login.journey.ts', "import { DEMO_USER } from '../src/replica/users.ts';"), ['journeys/login.journey.ts (journeys) -> src/replica/users.ts (replica)']);
    assert.deepEqual(bad('src/cli/run.ts', "import { startReplica } from '../replica/server.ts';"), [], 'cli may import anything');
    assert.deepEqual(bad('src/new-room/x.ts', "import { x } from '../errors.ts';"), ['src/new-room/x.ts -> src/errors.ts: src/new-room/x.ts is in no room']);
  });
});
