/**
 * Inventory sources to one inventory, as `ansible-inventory -i SRC [-i SRC...]` builds it:
 * host lists ("a,b,"), files (YAML first where the name allows it, then INI) and folders
 * (entries in sorted order, Ansible's ignore list applied), then reconciliation.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { ansibleConfig } from '../config/ansible-config.ts';
import { formatLocation, InputError } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { pyRegex } from '../template/jinja/regex.ts';
import { openVault } from '../vault/secrets.ts';
import { isVaultText } from '../vault/vault.ts';
import { loadYaml } from '../yaml/load.ts';
import { parseAddress } from './address.ts';
import { parseIni } from './ini.ts';
import { InventoryData } from './model.ts';
import { parseYamlInventory, type Warn } from './yaml-inventory.ts';

// the names ansible-core always skips in an inventory folder (inventory/manager.py IGNORED_ALWAYS)
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;

/**
 * Whether a folder's entry is skipped, as 2.19's IGNORED regex: the names above, then
 * INVENTORY_IGNORE_PATTERNS (searched anywhere in the name) and INVENTORY_IGNORE_EXTS (its end),
 * from ansible.cfg or ANSIBLE_INVENTORY_IGNORE(_REGEX); 2.19's default extensions no longer
 * include `.ini` (2.14's did): a folder's hosts.ini is read.
 */
function ignoredEntry(name: string): boolean {
  const config = ansibleConfig();
  const exts = config.get('INVENTORY_IGNORE_EXTS').value as string[];
  const patterns = config.get('INVENTORY_IGNORE_PATTERNS').value as string[];
  return (
    IGNORED_NAMES.test(name) ||
    patterns.some((p) => p !== '' && pyRegex(p, {}).test(name)) ||
    exts.some((ext) => name.endsWith(ext))
  );
}
const YAML_EXTS = ['.yaml', '.yml', '.json'];

export interface LoadedInventory {
  data: InventoryData;
  /** Folders whose group_vars/ and host_vars/ apply, in source order. */
  varsDirs: string[];
}

export function loadInventory(sources: string[], onWarning?: (message: string) => void): LoadedInventory {
  const data = new InventoryData();
  const warn: Warn = (message, where) =>
    onWarning?.(where ? `${formatLocation(where)}: ${message}` : message);
  const varsDirs: string[] = [];
  for (const source of sources) {
    if (source.includes(',') && !exists(source)) {
      // basedir() of a text that is no path gives None, which 2.19 prints as 'None'
      data.currentSource = { file: source, dir: 'None' };
      parseHostList(data, source);
      continue;
    }
    const path = resolve(source);
    const st = statOrUndefined(path);
    if (!st) {
      throw new InputError(
        'INVENTORY_MISSING',
        `inventory source not found: ${source}`,
        undefined,
        'give a file, a folder, or a comma-separated host list such as "h1,h2,"',
      );
    }
    varsDirs.push(st.isDirectory() ? path : dirname(path));
    if (st.isDirectory()) parseDirectory(data, path, warn);
    else parseFile(data, path, warn);
  }
  data.reconcile();
  return { data, varsDirs };
}

function exists(path: string): boolean {
  return statOrUndefined(path) !== undefined;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function parseHostList(data: InventoryData, list: string) {
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const parsed = parseAddress(entry);
    data.addHost(parsed?.host ?? entry, 'ungrouped', parsed?.port);
  }
}

/** Inside a folder a file that cannot be parsed is skipped with a warning, as Ansible does. */
function parseDirectory(data: InventoryData, dir: string, warn: Warn) {
  const entries = readdirSync(dir).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const entry of entries) {
    if (ignoredEntry(entry)) continue;
    const full = resolve(dir, entry);
    const st = statOrUndefined(full);
    if (!st) {
      // a link to nothing (or a file gone meanwhile): skipped with a warning, as Ansible does
      warn('skipped, it cannot be read (a dangling link?)', { file: full });
      continue;
    }
    if (st.isDirectory()) {
      parseDirectory(data, full, warn);
      continue;
    }
    try {
      parseFile(data, full, warn);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      warn(`skipped, cannot be parsed as an inventory: ${e.describe()}`, { file: full });
    }
  }
}

/**
 * Like Ansible: the yaml parser first when the name allows it, then the INI parser, which
 * accepts any file. When both fail, the error shown is the one for the format the file is in.
 */
export function parseFile(data: InventoryData, file: string, warn: Warn) {
  const text = readBoundedText(file, 'the inventory file');
  // absolute, `..` resolved, links not followed: as ansible-core's unfrackpath(follow=False)
  data.currentSource = { file: resolve(file), dir: dirname(resolve(file)) };
  const ext = extname(file);
  let yamlError: InputError | undefined;
  if (!ext || YAML_EXTS.includes(ext)) {
    try {
      parseYamlInventory(data, loadYaml(text, file, { onWarning: (m, w) => warn(m, w) }), file, warn);
      return;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      yamlError = e;
    }
  }
  try {
    // an INI inventory ansible-vault encrypted (a YAML one was opened by loadYaml)
    parseIni(data, isVaultText(text) ? openVault(text, { file }) : text, file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const isYaml = yamlError && (ext !== '' || /^(?:---|[^\s[#;=][^=]*:\s*(?:#.*)?$)/m.test(text));
    throw (isYaml ? yamlError! : e).locatedAt({ file });
  }
}
