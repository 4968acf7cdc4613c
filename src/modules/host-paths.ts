/**
 * Path parameters as Ansible's modules receive them: a parameter of type "path" is expanded on
 * the host as Python's `os.path.expanduser(os.path.expandvars(value))` before the module reads
 * it (module_utils/common/validation.py check_type_path), so `path: ~/.ssh` is the user's
 * folder, not a folder named `~`. copy's and template's `dest` get the same from their action
 * plugin's `_remote_expand_user` (`~` is the become user's home). The table lists the
 * parameters of type path of each module's argument spec (ansible-core 2.19, Debian 13's
 * ansible 12.0.0 collections) that name a path on the host; command, shell and script expand
 * their own (command-words.ts), and a `src` read on the controller is not the host's.
 */
import { expandedWord, expandsOnHost } from './command-words.ts';
import type { ProbeContext } from './types.ts';

const HOST_PATHS: Record<string, string[]> = {
  acl: ['path'],
  alternatives: ['path', 'link'],
  apt: ['deb'],
  apt_key: ['file', 'keyring'],
  archive: ['path', 'dest', 'exclude_path'],
  assemble: ['dest'],
  authorized_key: ['path'],
  blockinfile: ['path'],
  copy: ['dest'],
  cron: ['cron_file'],
  file: ['path', 'src'],
  filesystem: ['dev'],
  find: ['paths'],
  get_url: ['dest', 'tmp_dest'],
  git: ['dest', 'key_file', 'executable', 'archive', 'separate_git_dir'],
  git_config: ['repo', 'file'],
  htpasswd: ['path'],
  ini_file: ['path'],
  known_hosts: ['path'],
  lineinfile: ['path'],
  make: ['chdir', 'file', 'make'],
  mount: ['path', 'src'],
  openssh_keypair: ['path'],
  pamd: ['path'],
  patch: ['dest', 'basedir'],
  pip: ['virtualenv', 'chdir', 'executable'],
  replace: ['path'],
  slurp: ['src'],
  stat: ['path'],
  sysctl: ['sysctl_file'],
  template: ['dest'],
  tempfile: ['path'],
  unarchive: ['dest', 'creates'],
  uri: ['dest', 'src', 'creates', 'removes', 'unix_socket', 'ca_path'],
  user: ['home', 'shell', 'ssh_key_file'],
  wait_for: ['path'],
  yum_repository: ['reposdir'],
};

/**
 * `params` with the module's host path parameters expanded on the host (one read for all of
 * them, under the task's become and environment); the same object when none needs it.
 */
export async function withHostPaths(
  module: string,
  params: Record<string, unknown>,
  ctx: Pick<ProbeContext, 'probe' | 'becomeUser'>,
): Promise<Record<string, unknown>> {
  const names = HOST_PATHS[module] ?? [];
  const places: Array<{ name: string; index?: number; value: string }> = [];
  for (const name of names) {
    const v = params[name];
    if (typeof v === 'string' && expandsOnHost(v)) places.push({ name, value: v });
    if (Array.isArray(v))
      v.forEach((e, index) => {
        if (typeof e === 'string' && expandsOnHost(e)) places.push({ name, index, value: e });
      });
  }
  if (places.length === 0) return params;
  // `~` is the become user's home, as _remote_expand_user asks for it (runuser keeps root's HOME)
  const own = (p: string) =>
    ctx.becomeUser && (p === '~' || p.startsWith('~/')) ? `~${ctx.becomeUser}${p.slice(1)}` : p;
  const words = places.map((p) => expandedWord(own(p.value))).join(' ');
  const r = await ctx.probe(`printf '%s\\0' ${words}`);
  if (r.code !== 0)
    throw new Error(`could not expand ${places.map((p) => p.value).join(', ')}: ${r.stderr.trim()}`);
  const values = r.stdout.split('\0');
  const out: Record<string, unknown> = { ...params };
  places.forEach((p, i) => {
    if (p.index === undefined) out[p.name] = values[i];
    else {
      const list = [...(out[p.name] as unknown[])];
      list[p.index] = values[i];
      out[p.name] = list;
    }
  });
  return out;
}
