/** The parameters of `package`, `apt` and `dnf` (package.ts, dnf.ts), as one task takes them. */
export interface PackageParams {
  /** package's choice of manager module (`auto`: the host's). */
  use?: string;
  name?: string | string[];
  pkg?: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache?: boolean;
  cache_valid_time?: number;
  install_recommends?: boolean;
  /** A version older than the installed one may be installed (apt --allow-downgrades). */
  allow_downgrade?: boolean;
  /** apt only: the release packages are taken from (apt-get -t, e.g. bookworm-backports). */
  default_release?: string;
  /** apt only: remove a package's configuration files too (state absent, autoremove, autoclean). */
  purge?: boolean;
  /** apt only: remove what nothing needs any more (with packages: apt-get --auto-remove). */
  autoremove?: boolean;
  /** apt only: drop downloaded packages that can no longer be downloaded. */
  autoclean?: boolean;
  allow_unauthenticated?: boolean;
  /** apt only: a package apt-mark holds may be installed, upgraded or removed (apt-get --allow-change-held-packages). */
  allow_change_held_packages?: boolean;
  /** apt only: install only what is already installed, in a newer version. */
  only_upgrade?: boolean;
  /** apt-get --force-yes: implies allow_unauthenticated and allow_downgrade, as in Ansible. */
  force?: boolean;
  /** upgrade uses apt-get even where aptitude is installed (elsewhere quorum always uses apt-get). */
  force_apt_get?: boolean;
  /** apt only: /usr/sbin/policy-rc.d exits with this while apt-get runs (101: services are not started). */
  policy_rc_d?: number;
  /** apt only: a .deb file on the host, or its URL, installed with dpkg (comma-separated: several). */
  deb?: string;
  /** apt only: upgrade every package (safe/yes, full, dist; no); the task does nothing else then, as Ansible's. */
  upgrade?: 'dist' | 'full' | 'no' | 'safe' | 'yes' | boolean;
  /** apt only: apt-get clean first (alone, the task does only that, and changes). */
  clean?: boolean;
  /** yum/dnf only: repositories to enable or disable for this transaction. */
  enablerepo?: string | string[];
  disablerepo?: string | string[];
  /** dnf only: plugins to enable or disable, packages to leave out, and how it resolves. */
  enable_plugin?: string | string[];
  disable_plugin?: string | string[];
  exclude?: string | string[];
  nobest?: boolean;
  skip_broken?: boolean;
  allowerasing?: boolean;
  disable_gpg_check?: boolean;
  /** dnf only, with state latest: only updates that fix bugs or security issues (either, as dnf's flags). */
  bugfix?: boolean;
  security?: boolean;
}

/** The packages a task names (`name`, or its alias `pkg`), as a list. */
export const namesOf = (p: PackageParams): string[] => [p.name ?? p.pkg ?? []].flat();
