/** What quorum knows of one ansible.cfg / ANSIBLE_* setting (ansible-settings.ts, ansible-settings-guarded.ts). */
export type SettingType = 'boolean' | 'integer' | 'string' | 'list' | 'path' | 'pathlist' | 'pathspec';

export interface SettingSpec {
  ini: Array<[section: string, key: string]>;
  env: string[];
  type: SettingType;
  default: unknown;
  /** Where quorum honours it (README, "ansible.cfg"); absent: see `unless`. */
  applied?: string;
  /** The values at which quorum behaves as Ansible; any other is refused with `why`. */
  unless?: (value: unknown) => boolean;
  why?: string;
  /** Taken, but quorum does not do what it asks: a warning says so. */
  warnUnless?: (value: unknown) => boolean;
}
