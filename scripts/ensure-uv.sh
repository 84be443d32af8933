#!/usr/bin/env bash
# Print the path of a uv binary, installing it with pip when it is missing.
set -euo pipefail
if command -v uv >/dev/null 2>&1; then command -v uv; exit 0; fi
python3 -m pip install --quiet --disable-pip-version-check uv >&2
command -v uv >/dev/null 2>&1 && { command -v uv; exit 0; }
python3 -c 'import sysconfig, os; print(os.path.join(sysconfig.get_path("scripts"), "uv"))'
