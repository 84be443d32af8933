#!/usr/bin/env bash
# The browser tests drive Debian's chromium (never a downloaded browser build). Install it if missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
else
  echo "ensure-chromium: /usr/bin/chromium is missing; install Debian's chromium package" >&2
  exit 1
fi
