#!/usr/bin/env bash
# Dependency audit of what ships: the backend's runtime packages (pip-audit against the PyPI/OSV
# vulnerability data, from the locked requirements) and the web app's production packages
# (npm audit, high and critical).
#
# Prints what it finds. Exit status: 1 when an audit ran and found vulnerabilities, 0 otherwise.
# An audit that cannot reach its vulnerability data never fails the build: it prints
# "audit skipped: registry unreachable" and moves on.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UV="${UV:-$(bash "$ROOT/scripts/ensure-uv.sh")}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
status=0

echo "== Python runtime dependencies (pip-audit) =="
(cd "$ROOT/backend" && "$UV" export --frozen --no-dev --no-emit-project --no-hashes --format requirements-txt \
  --output-file "$WORK/requirements.txt" >/dev/null 2>&1)
(cd "$ROOT/backend" && timeout 600 "$UV" run --frozen pip-audit --requirement "$WORK/requirements.txt" --no-deps \
  --disable-pip --progress-spinner off --format json --output "$WORK/pip-audit.json" >"$WORK/pip-audit.log" 2>&1)
"$UV" --directory "$ROOT/backend" run --frozen python - "$WORK/pip-audit.json" <<'EOF'
import json, sys

try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print("audit skipped: registry unreachable (pip-audit produced no report)")
    sys.exit(0)
dependencies = report.get("dependencies", [])
audited = [d for d in dependencies if "vulns" in d]
skipped = [d for d in dependencies if "skip_reason" in d]
if not audited:
    print(f"audit skipped: registry unreachable (none of {len(skipped)} packages could be looked up)")
    sys.exit(0)
found = [(d["name"], d["version"], v) for d in audited for v in d["vulns"]]
for name, version, vuln in found:
    fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
    print(f"  {name} {version}: {vuln['id']} (fixed in: {fixes})")
print(f"{len(audited)} packages audited, {len(skipped)} skipped, {len(found)} known vulnerabilities")
sys.exit(3 if found else 0)
EOF
case $? in
  0) ;;
  3) status=1 ;;
  *) echo "audit skipped: could not read the pip-audit report"; sed -n '1,20p' "$WORK/pip-audit.log" ;;
esac

echo
echo "== Web app production dependencies (npm audit --omit=dev --audit-level=high) =="
(cd "$ROOT/frontend" && timeout 300 npm audit --omit=dev --audit-level=high --json >"$WORK/npm-audit.json" 2>"$WORK/npm-audit.log")
"$UV" --directory "$ROOT/backend" run --frozen python - "$WORK/npm-audit.json" <<'EOF'
import json, sys

try:
    report = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    report = {}
if "metadata" not in report:
    reason = (report.get("message") or report.get("error", {}).get("summary") or "no report").strip()
    print(f"audit skipped: registry unreachable ({reason})")
    sys.exit(0)
counts = report["metadata"].get("vulnerabilities", {})
for name, vuln in sorted(report.get("vulnerabilities", {}).items()):
    if vuln.get("severity") in ("high", "critical"):
        print(f"  {name} ({vuln['severity']}): {vuln.get('range', '')}")
print("vulnerabilities by severity: " + ", ".join(f"{k} {v}" for k, v in counts.items() if k != "total"))
sys.exit(3 if counts.get("high", 0) + counts.get("critical", 0) else 0)
EOF
case $? in
  0) ;;
  3) status=1 ;;
  *) echo "audit skipped: could not read the npm audit report" ;;
esac

exit "$status"
