#!/usr/bin/env bash
# Runs the Ansible conformance corpus (test/fixtures/conformance/inventory: a copy of the
# project's shared reference corpus, with its README and sources) against quorum. Every
# expected output there was produced by ansible-core 2.14; see its README. QUORUM_CORPUS
# points at another copy; QUORUM_NODE at the Node that runs quorum (the test's own, so that
# .ci/run's Node 24 pass runs it on Node 24; `node` on the PATH otherwise).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${QUORUM_CORPUS:-$root/test/fixtures/conformance/inventory}
q="${QUORUM_NODE:-node} $root/bin/quorum.js"
export ENGINE_INVENTORY_CMD="$q inventory --list -i {inv}"
export ENGINE_GRAPH_CMD="$q inventory --graph -i {inv}"
export ENGINE_PATTERN_CMD="$q hosts -i {inv} {pattern}"
export ENGINE_LIMIT_CMD="$q hosts -i {inv} all --limit {pattern}"
exec "$corpus/check.sh" "$@"
