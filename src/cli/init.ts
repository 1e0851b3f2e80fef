/**
 * `perfpulse-journeys init [dir]`: a monitoring project of one's own, from templates/init/ of the
 * package: package.json (this package and the Node it runs on, pinned), env.yaml (a profile to
 * edit, journeys_dir: journeys), journeys/search_page.journey.ts (an example that passes on
 * --env local), kustomization.yaml (an overlay of the package's deploy/) and a README with the two
 * commands. Nothing is overwritten: if one of the files is there, nothing is written (exit 2).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ExitCode, UserError } from '../errors.ts';
import { PACKAGE, PACKAGE_ROOT } from '../package.ts';

export const TEMPLATES = join(PACKAGE_ROOT, 'templates', 'init');
/** The Node the scaffold pins: this package's own pin (the npm `node` package), else its engines' floor. */
const NODE_PIN = PACKAGE.devDependencies?.node ?? /\d+\.\d+\.\d+/.exec(PACKAGE.engines.node)?.[0] ?? '24.0.0';

/** Template files (relative paths) and where each goes: `gitignore` becomes `.gitignore` (npm drops dot-gitignores from packages). */
function templateFiles(dir = TEMPLATES, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templateFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}
const targetName = (template: string) => (template === 'gitignore' ? '.gitignore' : template);

/** The scaffold's package.json: a private ES-module project that depends on this package. */
export function scaffoldPackageJson(dir: string): string {
  const name = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '') || 'perfpulse-monitoring';
  const pkg = {
    name,
    private: true,
    description: 'Our portal journeys, measured by perfpulse-journeys',
    type: 'module',
    engines: { node: PACKAGE.engines.node },
    scripts: {
      try: 'perfpulse-journeys --env local --journeys-dir journeys',
      measure: 'perfpulse-journeys --env ./env.yaml',
    },
    dependencies: { [PACKAGE.name]: PACKAGE.version },
    // npx and npm run put node_modules/.bin first on PATH: the bin then runs on this Node
    devDependencies: { node: NODE_PIN },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function initCommand(dir = '.'): ExitCode {
  const root = resolve(dir);
  const files = new Map<string, string>([['package.json', scaffoldPackageJson(root)]]);
  for (const t of templateFiles()) files.set(targetName(t), readFileSync(join(TEMPLATES, t), 'utf8').replaceAll('{{VERSION}}', PACKAGE.version));
  const shown = (f: string) => relative(process.cwd(), join(root, f)) || f;
  const there = [...files.keys()].filter((f) => existsSync(join(root, f)));
  if (there.length) throw new UserError(`${shown(there[0] as string)} exists: init writes a new project and overwrites nothing (nothing written)`);
  for (const [f, text] of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), text, { flag: 'wx' });
    process.stdout.write(`wrote ${shown(f)}\n`);
  }
  const cd = relative(process.cwd(), root);
  process.stdout.write(`\nnext:\n${cd ? `  cd ${cd}\n` : ''}  npm install\n  npx perfpulse-journeys --env local --journeys-dir journeys\n(README.md says what then)\n`);
  return ExitCode.ok;
}
