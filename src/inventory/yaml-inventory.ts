/** Ansible's YAML inventory format (`all:`, `hosts:`, `children:`, `vars:`), as the yaml plugin reads it. */
import { InputError, type SourceLocation, withLocation } from '../errors.ts';
import { entryLocation, orderedEntries, originalKey, type YamlMap } from '../yaml/load.ts';
import { expandHostPattern } from './address.ts';
import type { InventoryData } from './model.ts';

export type Warn = (message: string, where?: SourceLocation) => void;

function isMapping(v: unknown): v is YamlMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

export function parseYamlInventory(inv: InventoryData, data: unknown, file: string, warn: Warn) {
  if (
    data === null ||
    data === undefined ||
    data === '' ||
    (isMapping(data) && Object.keys(data).length === 0)
  ) {
    throw new InputError('INVENTORY_EMPTY', 'parsed an empty YAML file', { file });
  }
  if (!isMapping(data)) {
    throw new InputError(
      'INVENTORY_SHAPE',
      `a YAML inventory must be a mapping of groups, got ${describeType(data)}`,
      {
        file,
      },
    );
  }
  if (data.plugin) {
    throw new InputError(
      'INVENTORY_PLUGIN',
      'this is an inventory plugin configuration, which quorum does not run',
      {
        file,
      },
    );
  }
  for (const [name, value] of orderedEntries(data)) parseGroup(inv, data, name, value, file, warn);
}

function parseGroup(
  inv: InventoryData,
  parent: YamlMap,
  name: string,
  body: unknown,
  file: string,
  warn: Warn,
): string | undefined {
  const where = entryLocation(parent, name) ?? { file };
  if (!(body === null || isMapping(body))) {
    warn(`skipping "${name}": not a valid group definition (a group needs a mapping)`, where);
    return undefined;
  }
  const key = originalKey(parent, name);
  if (typeof key !== 'string' || name === '') {
    throw new InputError(
      'INVENTORY_GROUP',
      `invalid group name ${JSON.stringify(key)}: expected a string`,
      where,
    );
  }
  inv.addGroup(name);
  if (body === null) return name;
  for (const section of ['vars', 'children', 'hosts']) {
    const value = body[section];
    if (typeof value === 'string') body[section] = { [value]: null };
    else if (section in body && !(value === null || isMapping(value))) {
      throw new InputError(
        'INVENTORY_SHAPE',
        `invalid "${section}" entry for group "${name}": expected a mapping, got ${describeType(value)}`,
        entryLocation(body, section),
      );
    }
  }
  for (const [key, value] of orderedEntries(body)) {
    const at = entryLocation(body, key);
    if (!(value === null || isMapping(value))) {
      warn(`skipping key "${key}" in group "${name}": it is not a mapping`, at);
      continue;
    }
    if (value === null) continue;
    if (key === 'vars') {
      for (const [k, v] of orderedEntries(value)) inv.setVariable(name, k, v);
    } else if (key === 'children') {
      for (const [child, childBody] of orderedEntries(value)) {
        // a skipped child still gets linked by name, so it must exist as a group or host
        const added = parseGroup(inv, value, child, childBody, file, warn) ?? child;
        withLocation(() => inv.addChild(name, added), entryLocation(value, child));
      }
    } else if (key === 'hosts') {
      for (const [pattern, vars] of orderedEntries(value)) {
        const hostAt = entryLocation(value, pattern);
        if (typeof originalKey(value, pattern) !== 'string') {
          throw new InputError(
            'INVENTORY_HOST',
            `host pattern ${pattern} must be a string`,
            hostAt,
            'enclose numeric host names in quotation marks',
          );
        }
        if (!(vars === null || isMapping(vars))) {
          throw new InputError(
            'INVENTORY_SHAPE',
            `host "${pattern}" must have a mapping of variables, got ${describeType(vars)}`,
            hostAt,
          );
        }
        const { hosts, port } = withLocation(() => expandHostPattern(pattern), hostAt);
        for (const host of hosts) {
          inv.addHost(host, name, port);
          for (const [k, v] of orderedEntries(vars ?? {})) inv.setVariable(host, k, v);
        }
      }
    } else {
      warn(
        `skipping unexpected key "${key}" in group "${name}": only "vars", "children" and "hosts" are valid`,
        at,
      );
    }
  }
  return name;
}
