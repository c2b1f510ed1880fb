#!/usr/bin/env bash
# Headless Chromium and its WebDriver for the dashboard's browser test
# (tests/integration/test_dashboard.py), from Debian's packages: /usr/bin/chromium and
# /usr/bin/chromedriver, of one version. The test never downloads a browser of its own.
# Idempotent and quiet: does nothing when both are installed; otherwise runs apt-get update once
# and installs them (needs root).
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install_chromium.sh: chromium and chromium-driver are missing; run this script as root" >&2
    exit 1
fi
echo "install_chromium.sh: installing chromium and chromium-driver from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's progress and debconf notes go to the log, shown only when a step fails
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install_chromium.sh: the installation failed" >&2
    exit 1
fi
