# perfpulse-journeys image: Node 24 + Debian bookworm's Chromium 156, which is the Chromium that the
# pinned Playwright 1.64.x drives. No browser is downloaded. Runs as a non-root user under tini so
# SIGTERM reaches the CLI (which stops the journeys and still delivers what was measured).
#
#   docker build -t perfpulse-journeys .
#   docker run --rm -e PERFPULSE_USERNAME -e PERFPULSE_PASSWORD_FILE=/run/secrets/pw \
#     -v "$PWD/pw:/run/secrets/pw:ro" perfpulse-journeys --env prod --pushgateway http://gw:9091
FROM node:24-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY journeys ./journeys
COPY playwright.config.ts tsconfig.json ./

RUN useradd --create-home --uid 10001 perfpulse
USER perfpulse
WORKDIR /home/perfpulse
ENV PERFPULSE_BROWSER=/usr/bin/chromium

ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/perfpulse-journeys.js"]
CMD ["--help"]
