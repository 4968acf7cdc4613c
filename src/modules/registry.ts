/** Every built-in module by name (and its Ansible aliases, such as ansible.builtin.copy). */

import { groupModule, userModule } from './accounts.ts';
import { authorizedKeyModule, hostnameModule } from './accounts-extra.ts';
import { aclModule } from './acl.ts';
import { alternativesModule } from './alternatives.ts';
import { aptKeyModule } from './apt-key.ts';
import { archiveModule } from './archive.ts';
import { validateArgumentSpecModule } from './argument-spec.ts';
import { assembleModule } from './assemble.ts';
import { asyncStatusModule } from './async-status.ts';
import { blockinfileModule } from './blockinfile.ts';
import { capabilitiesModule } from './capabilities.ts';
import { commandModule, shellModule } from './command.ts';
import {
  dpkgSelectionsModule,
  pauseModule,
  pingModule,
  rawModule,
  scriptModule,
  waitForConnectionModule,
} from './control.ts';
import { copyModule, templateModule } from './copy.ts';
import { cronModule } from './cron.ts';
import { cronvarModule } from './cronvar.ts';
import { debconfModule } from './debconf.ts';
import { backupRotateModule, fetchModule } from './fetch.ts';
import { fileModule } from './file.ts';
import { filesystemModule } from './filesystem.ts';
import { findModule as findFilesModule } from './find.ts';
import { firewalldModule } from './firewalld.ts';
import { gitModule } from './git.ts';
import { gitConfigModule } from './git-config.ts';
import { getentModule, packageFactsModule, serviceFactsModule } from './host-info.ts';
import { htpasswdModule } from './htpasswd.ts';
import { includeVarsModule } from './include-vars.ts';
import {
  assertModule,
  debugModule,
  failModule,
  queryModule,
  setFactModule,
  slurpModule,
  statModule,
} from './info.ts';
import { iniFileModule } from './ini.ts';
import { addHostModule, groupByModule } from './inventory-change.ts';
import { iptablesModule } from './iptables.ts';
import { k8sModule } from './k8s.ts';
import { kernelBlacklistModule } from './kernel-blacklist.ts';
import { knownHostsModule } from './known-hosts.ts';
import { ansibleAction } from './library/action-module.ts';
import { libraryModule } from './library/module.ts';
import { lineinfileModule, replaceModule } from './lines.ts';
import { listenPortsFactsModule } from './listen-ports-facts.ts';
import { localeGenModule } from './locale-gen.ts';
import { makeModule } from './make.ts';
import { mountModule } from './mount.ts';
import { getUrlModule } from './net.ts';
import { opensshKeypairModule } from './openssh-keypair.ts';
import { packageModules } from './package.ts';
import { pacmanModule } from './pacman.ts';
import { pamLimitsModule } from './pam-limits.ts';
import { pamdModule } from './pamd.ts';
import { patchModule } from './patch.ts';
import { pipModule } from './pip.ts';
import { rebootModule } from './reboot.ts';
import { aptRepositoryModule, deb822RepositoryModule, rpmKeyModule } from './repos.ts';
import { sebooleanModule, selinuxModule } from './selinux.ts';
import { withContextArgs } from './selinux-args.ts';
import { serviceModule } from './service.ts';
import { gatherFactsModule, setStatsModule, setupModule } from './setup.ts';
import { sudoersModule } from './sudoers.ts';
import { synchronizeModule } from './synchronize.ts';
import { modprobeModule, swapModule, sysctlModule } from './system.ts';
import { tempfileModule } from './tempfile.ts';
import { timezoneModule } from './timezone.ts';
import type { ModuleDef } from './types.ts';
import { ufwModule } from './ufw.ts';
import { unarchiveModule } from './unarchive.ts';
import { uriModule } from './uri.ts';
import { waitForModule } from './wait-for.ts';
import { yumRepositoryModule } from './yum-repository.ts';

// biome-ignore lint/suspicious/noExplicitAny: modules have differing param types
type AnyModule = ModuleDef<any>;

const modules: AnyModule[] = [
  commandModule,
  libraryModule,
  ansibleAction,
  fetchModule,
  backupRotateModule,
  shellModule,
  withContextArgs(fileModule),
  tempfileModule,
  withContextArgs(copyModule),
  withContextArgs(templateModule),
  withContextArgs(lineinfileModule),
  withContextArgs(blockinfileModule),
  ...packageModules,
  serviceModule,
  sysctlModule,
  modprobeModule,
  swapModule,
  withContextArgs(getUrlModule),
  waitForModule,
  statModule,
  slurpModule,
  queryModule,
  k8sModule,
  setFactModule,
  includeVarsModule,
  userModule,
  groupModule,
  authorizedKeyModule,
  hostnameModule,
  cronModule,
  gitModule,
  withContextArgs(iniFileModule),
  mountModule,
  timezoneModule,
  debconfModule,
  pamLimitsModule,
  pamdModule,
  localeGenModule,
  knownHostsModule,
  iptablesModule,
  makeModule,
  aclModule,
  gitConfigModule,
  capabilitiesModule,
  withContextArgs(htpasswdModule),
  withContextArgs(assembleModule),
  sudoersModule,
  filesystemModule,
  patchModule,
  cronvarModule,
  validateArgumentSpecModule,
  withContextArgs(unarchiveModule),
  withContextArgs(archiveModule),
  kernelBlacklistModule,
  listenPortsFactsModule,
  pipModule,
  pacmanModule,
  deb822RepositoryModule,
  rpmKeyModule,
  aptRepositoryModule,
  aptKeyModule,
  serviceFactsModule,
  withContextArgs(uriModule),
  getentModule,
  findFilesModule,
  withContextArgs(yumRepositoryModule),
  packageFactsModule,
  setupModule,
  gatherFactsModule,
  setStatsModule,
  failModule,
  withContextArgs(replaceModule),
  debugModule,
  assertModule,
  pingModule,
  pauseModule,
  waitForConnectionModule,
  rawModule,
  dpkgSelectionsModule,
  scriptModule,
  asyncStatusModule,
  groupByModule,
  addHostModule,
  alternativesModule,
  rebootModule,
  ufwModule,
  synchronizeModule,
  selinuxModule,
  sebooleanModule,
  firewalldModule,
  withContextArgs(opensshKeypairModule),
];

const byName = new Map<string, AnyModule>();
for (const m of modules) {
  for (const name of [m.name, `ansible.builtin.${m.name}`, ...(m.aliases ?? [])]) byName.set(name, m);
}

export function findModule(name: string): AnyModule | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return modules.map((m) => m.name);
}

export function allModuleKeys(): string[] {
  return [...byName.keys()];
}
