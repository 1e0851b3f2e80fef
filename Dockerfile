# perfpulse-journeys image: the npm package itself (`npm pack`, installed as `npm install` would for
# anyone), on Node 24 with Debian bookworm's Chromium 156, which is the Chromium that the pinned
# Playwright 1.64.x drives (node_modules/playwright-core/browsers.json). No browser is downloaded.
# Runs as a non-root user under tini, so SIGTERM reaches the CLI, which stops the journeys and
# still delivers what was measured.
#
#   docker build -t perfpulse-journeys .
#   docker run --rm --shm-size=256m -e PERFPULSE_USERNAME=me -e PERFPULSE_PASSWORD_FILE=/run/secrets/pw \
#     -v "$PWD/pw:/run/secrets/pw:ro" perfpulse-journeys --env prod --pushgateway http://gw:9091
#
# Your own journeys (README "Your own journeys"): mount them at /app/journeys (a ConfigMap, with
# deploy/journeys), or build an image of your own on this one:
#   FROM registry.example.org/perfpulse-journeys:0.1.0
#   COPY journeys/ /app/journeys/
#   ENV PERFPULSE_JOURNEYS_DIR=/app/journeys
# PERFPULSE_JOURNEYS_DIR (--journeys-dir) runs them beside the built-in ones; in /app their
# `import … from 'perfpulse-journeys'` finds /app/node_modules/perfpulse-journeys.
#
# When Playwright is upgraded, CHROMIUM_MAJOR follows browsers.json (test/deploy.test.ts checks
# both); the build fails if the Debian release no longer ships that major (bookworm-security ships
# Chromium's current stable, so a Playwright pin that falls behind shows up here, not in the timings).

# 1. The package, as `npm pack` makes it (prepack compiles the TypeScript to dist/).
FROM node:24-bookworm-slim AS package
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY journeys ./journeys
COPY deploy ./deploy
COPY docs ./docs
COPY scripts ./scripts
COPY README.md playwright.config.ts tsconfig.json tsconfig.build.json ./
RUN npm pack --pack-destination /package

# 2. The image: Chromium, and the package installed from that tarball.
FROM node:24-bookworm-slim

ARG CHROMIUM_MAJOR=156

RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN version="$(chromium --version 2>/dev/null)"; case "$version" in \
      "Chromium ${CHROMIUM_MAJOR}."*) echo "$version" ;; \
      *) echo "Debian's chromium is '$version', not the ${CHROMIUM_MAJOR}.x Playwright expects" >&2; exit 1 ;; \
    esac

WORKDIR /app
COPY --from=package /package/ /tmp/package/
# /app is a project that depends on the package: "type": "module" for the journeys in /app/journeys
RUN printf '{"name":"perfpulse-image","private":true,"type":"module"}\n' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tmp/package/perfpulse-journeys-*.tgz \
 && rm -rf /tmp/package && npm cache clean --force \
 && mkdir -p /app/journeys

RUN useradd --create-home --uid 10001 --user-group perfpulse
USER 10001:10001
WORKDIR /home/perfpulse
ENV PERFPULSE_BROWSER=/usr/bin/chromium \
    HOME=/home/perfpulse

# tini is PID 1: it reaps Chromium's zombies and passes SIGTERM/SIGINT to node (not to the whole
# group: the CLI stops Playwright itself, then pushes).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/node_modules/perfpulse-journeys/bin/perfpulse-journeys.js"]
CMD ["--help"]
