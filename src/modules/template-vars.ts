/**
 * What ansible-core 2.19's template action defines for a template
 * (_internal/_templating/_template_vars.py): template_host (the controller's name),
 * template_path (src as written), template_fullpath, template_destpath, template_uid (the
 * file's owner), template_mtime and template_run_date (as str(datetime) prints them), and
 * ansible_managed: ansible.cfg's string with {host}, {uid}, {file} made references to those
 * variables, then strftime'd with the file's mtime. A variable of the same name wins.
 */
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { ansibleConfig } from '../config/ansible-config.ts';
import { InputError } from '../errors.ts';
import { pyDatetimeText, pyStrftime } from '../template/jinja/time-filters.ts';

/** str(datetime.fromtimestamp(ns / 1e9)): local time, microseconds rounded as Python rounds them. */
function datetimeOfNs(ns: bigint): string {
  const micro = (ns + 500n) / 1000n;
  const seconds = pyDatetimeText(new Date(Number(micro / 1_000_000n) * 1000), false);
  const fraction = Number(micro % 1_000_000n);
  return fraction ? `${seconds}.${String(fraction).padStart(6, '0')}` : seconds;
}

/** pwd.getpwuid(uid).pw_name, or the number where /etc/passwd has no such user (as Ansible). */
const owners = new Map<number, string | number>();
function ownerName(uid: number): string | number {
  let name = owners.get(uid);
  if (name === undefined) owners.set(uid, (name = passwdName(uid)));
  return name;
}

function passwdName(uid: number): string | number {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(uid));
    return line ? line.split(':')[0] : uid;
  } catch {
    return uid;
  }
}

/** str.format(host=..., uid=..., file=...) of the configured string, as Python formats it. */
function formatManaged(text: string): string {
  const names: Record<string, string> = {
    host: '{{ template_host }}',
    uid: '{{ template_uid }}',
    file: '{{ template_path }}',
  };
  return text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (all, name?: string) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    if (name !== undefined && name in names) return names[name];
    throw new InputError(
      'CONFIG',
      `ansible_managed: KeyError: '${name}' (it may name {host}, {uid} and {file})`,
    );
  });
}

/** `dest` is null for the template lookup (its template_destpath is None). */
export function templateVars(src: string, fullpath: string, dest: string | null): Record<string, unknown> {
  const st = statSync(fullpath, { bigint: true });
  const managed = String(ansibleConfig().get('DEFAULT_MANAGED_STR').value);
  const mtime = new Date(Number(st.mtimeMs));
  return {
    template_host: hostname(),
    template_path: src,
    template_mtime: datetimeOfNs(st.mtimeNs),
    template_uid: ownerName(Number(st.uid)),
    template_run_date: pyDatetimeText(new Date(), false),
    template_destpath: dest,
    template_fullpath: fullpath,
    ansible_managed: pyStrftime(formatManaged(managed), mtime, false),
  };
}
