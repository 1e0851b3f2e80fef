#!/usr/bin/env bash
# Installs what perfpulse-journeys needs, and only what is missing, so it is safe to run again:
#   - Debian's chromium and prometheus-pushgateway, with apt (the only browser we use: never a download)
#   - Debian's prometheus (the e2e dashboard test's server, and promtool for the alert rules) and
#     yamllint (deploy/ manifests), with apt
#   - Debian's openssl (the k8s probe tests make their CA with it) and kubectl (kubernetes-client,
#     for `probe k8s --via kubectl`), with apt, when missing
#   - Debian's xvfb (and xauth, which xvfb-run needs): a virtual display for `record`'s headed browser
#     and its test, with apt, when missing
#   - Debian's libfreemarker-java: `npm run conformance` renders the storage UI's own FreeMarker templates with
#     it (conformance/frontends/storage-ui.ts; that also needs a JDK, which it says when missing), when missing
#   - Debian's libxml2-utils (xmllint): test/junit.test.ts validates --junit output against an XSD with it, when missing
#   - the npm packages, with `npm ci`, when node_modules is missing or older than package-lock.json
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/prometheus-pushgateway ] || missing+=(prometheus-pushgateway)
[ -x /usr/bin/promtool ] || missing+=(prometheus)
[ -x /usr/bin/yamllint ] || missing+=(yamllint)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)   # the k8s probe tests make their CA and certificates with it
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)   # kubectl, for probe k8s --via kubectl and its test
[ -x /usr/bin/xvfb-run ] || missing+=(xvfb)   # a virtual display: `xvfb-run -a perfpulse-journeys record …` and test/record.test.ts
command -v xauth >/dev/null 2>&1 || missing+=(xauth)   # xvfb-run needs it (only a Recommends of xvfb)
[ -f /usr/share/java/freemarker.jar ] || missing+=(libfreemarker-java)   # npm run conformance: the storage UI's templates
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)   # test/junit.test.ts: the --junit XML against its XSD

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: ${missing[*]} missing and apt-get is not available: install them, or pass --browser/--pushgateway" >&2
    exit 2
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
else
  echo "setup: chromium, prometheus-pushgateway, prometheus, yamllint, openssl, kubectl, xvfb, libfreemarker-java and xmllint already installed" >&2
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "setup: npm packages up to date" >&2
fi
