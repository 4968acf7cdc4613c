/**
 * What quorum says of ansible.cfg and ANSIBLE_* before a run: a setting at a value quorum would
 * not honour is refused with its place (file:line:col, or the variable), never run differently;
 * a setting quorum takes without doing what it asks (log_path, a fact cache) and a key
 * ansible-core 2.19 does not know either are warnings.
 */
import { InputError, InputErrors } from '../errors.ts';
import { type AnsibleConfig, ansibleConfig } from './ansible-config.ts';
import { BECOME_PLUGIN_SECTIONS, KNOWN_ELSEWHERE, PLUGIN_SECTION } from './ansible-known-settings.ts';
import { SETTINGS, type SettingName, type SettingSpec } from './ansible-settings.ts';

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The config's warnings; throws the settings quorum refuses. */
export function checkAnsibleConfig(config: AnsibleConfig = ansibleConfig()): string[] {
  const errors: InputError[] = [];
  const warnings = [...config.notes];
  const where = (name: SettingName) => {
    const v = config.get(name);
    if (v.origin === 'cli') return `${v.from} ${shown(v.value)}`;
    return v.origin === 'env' ? `${v.from}=${shown(v.value)}` : `${v.ini} = ${shown(v.value)}`;
  };
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const spec: SettingSpec = SETTINGS[name];
    const v = config.get(name);
    if (v.origin === 'default') continue;
    if (spec.unless && !spec.unless(v.value))
      errors.push(
        new InputError('CONFIG', `${where(name)}: quorum does not take this setting: ${spec.why}`, v.at),
      );
    else if (spec.warnUnless && !spec.warnUnless(v.value))
      warnings.push(
        `${where(name)} (${v.at ? `${v.at.file}:${v.at.line}` : v.origin === 'cli' ? 'command line' : 'environment'}): ${spec.why}`,
      );
  }
  const { parser, file } = config;
  if (parser && file) {
    const ours = new Set(Object.values(SETTINGS).flatMap((s) => s.ini.map(([sec, key]) => `${sec}.${key}`)));
    for (const section of parser.sectionNames())
      for (const [key] of parser.ownOptions(section)) {
        const line = parser.lineOf(section, key) ?? 1;
        const at = { file, line, col: 1 };
        if (ours.has(`${section}.${key}`) || KNOWN_ELSEWHERE[section]?.includes(key)) continue;
        if (BECOME_PLUGIN_SECTIONS.includes(section))
          errors.push(
            new InputError(
              'CONFIG',
              `[${section}] ${key}: quorum does not take this setting: set become_user, become_flags or become_exe in [privilege_escalation] or on the play`,
              at,
            ),
          );
        else if (!PLUGIN_SECTION.test(section))
          warnings.push(
            `${file}:${line}: [${section}] ${key} is not a setting of ansible-core 2.19; ignored, as Ansible ignores it`,
          );
      }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new InputErrors(errors);
  return warnings;
}
