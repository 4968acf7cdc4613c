#!/usr/bin/env bash
# quorum as a site installs it (run by .ci/run): `npm pack`, a site repository from
# `quorum init` depending on that tarball, and in it what a site does: tsc without skipLibCheck,
# validate, a check run, a run, a second run with nothing to change, the role's own test.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$repo"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n1)"
node bin/quorum.js init "$work/site" --quorum "file:$tarball"
cd "$work/site"
npm install --no-audit --no-fund --loglevel=error
out="$work/motd.conf"
npx tsc --noEmit
npx quorum validate playbooks/site.yml -i inventory/hosts.yml
npx quorum play playbooks/site.yml -i inventory/hosts.yml -e "motd_path=$out" --check
test ! -e "$out" || { echo "the check run wrote $out" >&2; exit 1; }
npx quorum play playbooks/site.yml -i inventory/hosts.yml -e "motd_path=$out"
grep -qx 'hello from the site repository' "$out"
npx quorum play playbooks/site.yml -i inventory/hosts.yml -e "motd_path=$out" --json \
  | node -e '
    const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.startsWith("{"));
    const changed = lines.map(JSON.parse).filter((e) => e.type === "step" && e.status === "changed");
    if (changed.length) { console.error("second run changed:", changed); process.exit(1); }'
npx vitest run
echo "site repository from the packed tarball: tsc, validate, check, play, idempotent, role test: ok"
