#!/usr/bin/env bash
# The package's build (npm run build; `npm pack` and `npm publish` run it as prepack): the
# TypeScript sources compiled to dist/ (tsconfig.build.json: .js with their .d.ts and source maps,
# `./x.ts` imports rewritten to `./x.js`), and the files the code reads beside itself copied along.
# Installed under node_modules, Node strips no types, so the package runs dist/ (src/package.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
tsc -p tsconfig.build.json
mkdir -p dist/src/config/envs
cp src/config/envs/*.yaml dist/src/config/envs/
echo "build: dist/ ($(find dist -name '*.js' | wc -l) .js files)"
