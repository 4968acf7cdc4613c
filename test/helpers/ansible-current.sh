#!/usr/bin/env bash
# Copied from the project's shared tools (tools/ansible-current; python3-passlib added), so that the tests need nothing
# outside this repository: bin/setup-debian.sh runs it once to unpack the second oracle.
# A current ansible-core (Debian 13's 2.19.x) beside Debian 12's 2.14, as a second oracle for
# differential tests: the packages are downloaded from Debian's own archive with a private apt
# configuration (the machine's apt sources and installed packages are not touched) and unpacked
# under a cache folder; it runs on Debian 12's Python 3.11 with Debian 13's Jinja2 3.1.6.
#   ansible-current ansible-playbook site.yml -i inv.yml     (also: ansible, ansible-inventory, ...)
#   ansible-current --prefix     prints the folder holding bin/ and the Python path, after set-up
# ANSIBLE_CURRENT_DIR picks the cache folder (default /var/cache/ansible-current).
# ANSIBLE_CURRENT_COLLECTIONS=1 also unpacks Debian 13's `ansible` package (the community
# collections: ansible.posix, community.general, ansible.utils, ...; a few hundred MB).
set -euo pipefail
D=${ANSIBLE_CURRENT_DIR:-/var/cache/ansible-current}
# python3-passlib: ansible-core 2.19 hashes passwords (password_hash) only through passlib
PKGS=(ansible-core python3-jinja2 python3-resolvelib python3-passlib)
want_coll=${ANSIBLE_CURRENT_COLLECTIONS:-0}
if [ ! -x "$D/root/usr/bin/ansible-playbook" ] || [ ! -d "$D/root/usr/lib/python3/dist-packages/passlib" ] || { [ "$want_coll" = 1 ] && [ ! -d "$D/root/usr/lib/python3/dist-packages/ansible_collections" ]; }; then
  [ "$want_coll" = 1 ] && PKGS+=(ansible python3-jmespath python3-netaddr)
  mkdir -p "$D/apt/lists/partial" "$D/apt/cache/archives/partial" "$D/debs"
  # the same Debian mirror this machine's apt already uses, suite trixie
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}')
  [ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | awk '{print $2; exit}')
  [ -n "$uri" ] || { echo "ansible-current: no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" > "$D/apt/sources.list"
  O=(-o Dir::Etc::sourcelist="$D/apt/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$D/apt/lists" -o Dir::Cache="$D/apt/cache" -o APT::Sandbox::User=root)
  apt-get -q "${O[@]}" update >/dev/null
  (cd "$D/debs" && apt-get -q "${O[@]}" download "${PKGS[@]}" >/dev/null)
  rm -rf "$D/root.tmp"; mkdir -p "$D/root.tmp"
  for f in "$D"/debs/*.deb; do dpkg-deb -x "$f" "$D/root.tmp"; done
  rm -rf "$D/root"; mv "$D/root.tmp" "$D/root"
fi
export PYTHONPATH="$D/root/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"
[ -d "$D/root/usr/lib/python3/dist-packages/ansible_collections" ] && export ANSIBLE_COLLECTIONS_PATH="$D/root/usr/lib/python3/dist-packages"
if [ "${1:-}" = --prefix ]; then echo "$D/root/usr"; exit 0; fi
# Debian's own Python (its python3-yaml etc.), for the controller and for local/remote modules
export ANSIBLE_PYTHON_INTERPRETER=${ANSIBLE_PYTHON_INTERPRETER:-/usr/bin/python3}
cmd=${1:?usage: ansible-current ansible-playbook ARGS...}; shift
exec /usr/bin/python3 "$D/root/usr/bin/$cmd" "$@"
