#!/usr/bin/env bash
# The Debian packages the tests need, on a fresh Debian machine as root (the README's test
# line runs this first; so does .ci/run). Installs only what is missing.
# - ansible-core: the oracle of the differential tests (test-only; quorum itself never needs
#   Python); python3 runs the shared corpus check script. Debian 12's is 2.14; the current one
#   (Debian 13's 2.19, the reference) is unpacked beside it by test/helpers/ansible-current.sh
#   with a private apt configuration (this machine's apt sources are not touched)
# - openssh-server, openssh-client, iproute2, tini, apt-cacher-ng, curl: the lab (real sshd
#   in namespaces, keys, veth/bridge, a reaper as PID 1, the apt proxy for hosts)
# - dpkg-dev, gpg, python3-yaml, python3-cryptography: the Kubernetes stand-ins of the cluster
#   lab suite (a signed apt repository of Debian packages; the stand-ins are Python)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(ansible-core python3 openssh-server openssh-client iproute2 tini apt-cacher-ng curl util-linux
  dpkg-dev gpg python3-yaml python3-cryptography
  python3-apt  # Ansible's apt module, the oracle of apt's deb (it would install it from the network itself)
  python3-jmespath  # the oracle of json_query: the library community.general's filter calls
  debconf-utils  # debconf-get-selections: the debconf module reads a password answer with it, as Ansible does
  mount  # losetup: the block devices facts test attaches a partitioned image of its own
  libcap2-bin  # capsh: the system capabilities facts (Ansible runs it when it is there)
  procps  # ps: the reboot test's stand-in for shutdown finds its own session's sshd
  net-tools  # netstat: community.general.listen_ports_facts reads it first (ss otherwise), on both sides of its test
  ufw  # community.general.ufw's oracle and subject; the tests run it only in network namespaces of their own
  rsync  # ansible.posix.synchronize runs it on the controller and the host
  python3-selinux python3-semanage  # the oracle of ansible.posix.selinux and seboolean (their modules import them)
  patch  # ansible.posix.patch's subject, on both sides of its differential test
  acl  # setfacl/getfacl: ansible.posix.acl's subject, on both sides of its differential test
  cron  # crontab: ansible-core's cron module requires it, cron_file or not (the cron test writes cron files only)
  dirmngr  # apt_key with a keyserver: apt-key adv --recv fetches through it (the test keyserver is on loopback)
  firewalld  # ansible.posix.firewalld's subject (its daemon and firewall-cmd) and oracle (python3-firewall); the tests run it only in namespaces of their own
  strace  # counts the programs a probe starts on a host (the facts script: two)
  python3-venv  # the pip module's virtualenv on both sides of its test (python3 -m venv, pip inside it from ensurepip)
  chromium-headless-shell)  # the HTML report is opened in a real headless browser by the tests
# the lab's hosts see this machine's apt lists: fresh ones (refreshed when over 30 minutes old,
# so they stay under the hour of cache_valid_time through a test run) spare every host a
# refresh of the distribution's index through the lab's apt proxy at once (CI saw such a refresh
# stall for ten minutes)
# (the stamp is what apt's cache_valid_time reads, on this machine and in the lab's hosts)
stamp=/var/lib/apt/periodic/update-success-stamp
if [ -z "$(find "$stamp" -mmin -30 2>/dev/null)" ]; then
  apt-get update -q
  mkdir -p "${stamp%/*}" && touch "$stamp"
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# ansible-core 2.19 beside 2.14 (its own cache folder; nothing installed system-wide), with
# Debian 13's collections (community.general ...: the oracle of the collection modules quorum
# has), unpacked here once so that no test unpacks them while another one runs the oracle
current() { ANSIBLE_CURRENT_COLLECTIONS=1 bash "$(dirname "$0")/../test/helpers/ansible-current.sh" --prefix >/dev/null; }
if [ ${#missing[@]} -eq 0 ]; then
  current
  exit 0
fi
# services in these packages must not start on this machine itself: the lab starts its own
# sshd per host and its own apt proxy on the lab address
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
apt-get install -y -q --no-install-recommends "${missing[@]}"
if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
current
