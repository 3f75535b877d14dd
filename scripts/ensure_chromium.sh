#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright. Install it when missing and we can (CI is root);
# elsewhere say how, and let the tests report the missing browser.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian chromium for the browser tests ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "note: /usr/bin/chromium is missing; install it (apt-get install chromium) or run" >&2
echo "      '.venv/bin/playwright install chromium' so the browser tests can run." >&2
