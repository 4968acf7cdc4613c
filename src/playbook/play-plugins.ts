/**
 * The Python plugins a play makes available before its tasks are read, as ansible-core's plugin
 * loader adds them: the playbook's lookup_plugins/, filter_plugins/ and test_plugins/, ansible.cfg's folders, and
 * the collections an FQCN filter or test is looked for in (a role's own folders: ansible-role.ts).
 */
import {
  addFilterPluginDir,
  addPluginDirsOf,
  setFilterCollectionRoots,
} from '../template/jinja/python-filters.ts';
import { addLookupPluginDir } from '../template/jinja/python-lookups.ts';
import { configuredPluginDirs } from './role-path.ts';

export function addPlayPlugins(playbookDir: string, collections: string[]): void {
  setFilterCollectionRoots(collections);
  addPluginDirsOf(playbookDir);
  for (const d of configuredPluginDirs('DEFAULT_FILTER_PLUGIN_PATH', 'filter')) addFilterPluginDir(d);
  for (const d of configuredPluginDirs('DEFAULT_TEST_PLUGIN_PATH', 'test')) addFilterPluginDir(d, 'test');
  for (const d of configuredPluginDirs('DEFAULT_LOOKUP_PLUGIN_PATH', 'lookup')) addLookupPluginDir(d);
}
