#!/usr/bin/env bash
# bench/hot_drop.py drives the app with wrk (far less client overhead than Python); it falls back to
# an aiohttp client without it. Install Debian's wrk when we can.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-wrk: installing Debian's wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
  echo "ensure-wrk: wrk is missing (apt-get install wrk); the bench falls back to its Python client" >&2
fi
