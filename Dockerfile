# perfpulse-journeys image: Node 24 + Debian bookworm's Chromium 156, which is the Chromium that the
# pinned Playwright 1.64.x drives (node_modules/playwright-core/browsers.json). No browser is
# downloaded. Runs as a non-root user under tini, so SIGTERM reaches the CLI, which stops the
# journeys and still delivers what was measured.
#
#   docker build -t perfpulse-journeys .
#   docker run --rm --shm-size=256m -e PERFPULSE_USERNAME=me -e PERFPULSE_PASSWORD_FILE=/run/secrets/pw \
#     -v "$PWD/pw:/run/secrets/pw:ro" perfpulse-journeys --env prod --pushgateway http://gw:9091
#
# When Playwright is upgraded, CHROMIUM_MAJOR follows browsers.json (test/deploy.test.ts checks
# both); the build fails if the Debian release no longer ships that major (bookworm-security ships
# Chromium's current stable, so a Playwright pin that falls behind shows up here, not in the timings).
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
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY journeys ./journeys
COPY playwright.config.ts tsconfig.json ./

RUN useradd --create-home --uid 10001 --user-group perfpulse
USER 10001:10001
WORKDIR /home/perfpulse
ENV PERFPULSE_BROWSER=/usr/bin/chromium \
    HOME=/home/perfpulse

# tini is PID 1: it reaps Chromium's zombies and passes SIGTERM/SIGINT to node (not to the whole
# group: the CLI stops Playwright itself, then pushes).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/perfpulse-journeys.js"]
CMD ["--help"]
