/**
 * The inventory as Ansible models it: hosts and groups in insertion order, groups in a DAG
 * under `all`, depth and priority for variable precedence. Orders here decide `serial`
 * batches and which host is "first", so they follow ansible-core 2.14 exactly.
 */
import { InputError } from '../errors.ts';

export type Vars = Record<string, unknown>;

export class Host {
  readonly vars: Vars = {};
  /** Every group the host is in, ancestors included, in the order Ansible records them. */
  readonly groups: Group[] = [];
  implicit = false;
  constructor(readonly name: string) {}

  setVariable(key: string, value: unknown) {
    this.vars[key] = value;
  }

  addGroup(group: Group) {
    for (const ancestor of group.ancestors()) if (!this.groups.includes(ancestor)) this.groups.push(ancestor);
    if (!this.groups.includes(group)) this.groups.push(group);
  }

  removeGroup(group: Group) {
    const at = this.groups.indexOf(group);
    if (at < 0) return;
    this.groups.splice(at, 1);
    for (const ancestor of group.ancestors()) {
      if (ancestor.name === 'all') continue;
      if (!this.groups.some((g) => g.ancestors().has(ancestor))) this.removeGroup(ancestor);
    }
  }
}

export class Group {
  depth = 0;
  priority = 1;
  readonly vars: Vars = {};
  readonly hosts: Host[] = [];
  readonly children: Group[] = [];
  readonly parents: Group[] = [];
  private hostCache: Host[] | undefined;

  constructor(readonly name: string) {}

  setVariable(key: string, value: unknown) {
    if (key === 'ansible_group_priority') {
      const n = Number.parseInt(String(value), 10);
      if (Number.isNaN(n)) {
        throw new InputError(
          'INVENTORY_VALUE',
          `ansible_group_priority must be an integer, got ${JSON.stringify(value)}`,
        );
      }
      this.priority = n;
    } else {
      this.vars[key] = value;
    }
  }

  ancestors(): Set<Group> {
    return new Set(walk(this, 'parents', false));
  }

  /**
   * Self, then direct children, then each further level. ansible-core iterates the deeper
   * levels through Python sets, so their order changes from run to run; we walk them in
   * insertion order, which is one of the orders Ansible can produce and is stable.
   */
  descendantsInOrder(): Group[] {
    return walk(this, 'children', true);
  }

  addChild(child: Group) {
    if (child === this)
      throw new InputError('INVENTORY_CYCLE', `group "${this.name}" cannot be a child of itself`);
    if (this.children.includes(child)) return;
    if (this.ancestors().has(child)) {
      throw new InputError(
        'INVENTORY_CYCLE',
        `adding group "${child.name}" as a child of "${this.name}" creates a cycle: ${cyclePath(this, child)}`,
      );
    }
    const newAncestors = this.ancestors();
    newAncestors.add(this);
    for (const a of child.ancestors()) newAncestors.delete(a);
    this.children.push(child);
    child.depth = Math.max(this.depth + 1, child.depth);
    child.deepenChildren();
    if (!child.parents.some((p) => p.name === this.name)) {
      child.parents.push(this);
      for (const h of child.allHosts()) {
        for (const g of newAncestors) if (!h.groups.includes(g)) h.groups.push(g);
      }
    }
    this.clearCache();
  }

  private deepenChildren() {
    for (const child of this.children) {
      if (child.depth < this.depth + 1) {
        child.depth = this.depth + 1;
        child.deepenChildren();
      }
    }
  }

  addHost(host: Host): boolean {
    if (this.hosts.includes(host)) return false;
    this.hosts.push(host);
    host.addGroup(this);
    this.clearCache();
    return true;
  }

  removeHost(host: Host) {
    const at = this.hosts.indexOf(host);
    if (at < 0) return;
    this.hosts.splice(at, 1);
    host.removeGroup(this);
    this.clearCache();
  }

  /** All hosts of this group and its descendants, first appearance wins. */
  allHosts(): Host[] {
    if (this.hostCache) return this.hostCache;
    const seen = new Set<Host>();
    const out: Host[] = [];
    for (const g of this.descendantsInOrder()) {
      for (const h of g.hosts) {
        if (seen.has(h)) continue;
        seen.add(h);
        if (this.name === 'all' && h.implicit) continue;
        out.push(h);
      }
    }
    this.hostCache = out;
    return out;
  }

  clearCache() {
    this.hostCache = undefined;
    for (const a of this.ancestors()) a.hostCache = undefined;
  }
}

function walk(start: Group, rel: 'parents' | 'children', includeSelf: boolean): Group[] {
  const seen = new Set<Group>(start[rel]);
  if (includeSelf) seen.add(start);
  const ordered: Group[] = includeSelf ? [start, ...start[rel]] : [...start[rel]];
  let level = includeSelf ? [start, ...start[rel]] : [...start[rel]];
  while (level.length > 0) {
    const next: Group[] = [];
    for (const g of level) {
      for (const item of g[rel]) {
        if (seen.has(item) || next.includes(item)) continue;
        next.push(item);
        ordered.push(item);
      }
    }
    for (const g of next) seen.add(g);
    level = next;
  }
  return ordered;
}

function cyclePath(parent: Group, child: Group): string {
  // child is already an ancestor of parent: find the chain child -> ... -> parent
  const path = (from: Group, to: Group, trail: Group[]): Group[] | undefined => {
    if (from === to) return [...trail, to];
    for (const c of from.children) {
      const found = path(c, to, [...trail, from]);
      if (found) return found;
    }
    return undefined;
  };
  const chain = path(child, parent, []) ?? [child, parent];
  return [...chain, child].map((g) => g.name).join(' -> ');
}

export const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1'];

export class InventoryData {
  readonly groups = new Map<string, Group>();
  readonly hosts = new Map<string, Host>();
  private implicitLocalhost: Host | undefined;

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  get all(): Group {
    return this.groups.get('all')!;
  }

  addGroup(name: string): Group {
    let g = this.groups.get(name);
    if (!g) {
      g = new Group(name);
      this.groups.set(name, g);
    }
    return g;
  }

  /**
   * The inventory source being read (a file's absolute path, or a host list as given): a host
   * first met there gets inventory_file and inventory_dir, as ansible-core's InventoryData
   * sets them (kept after loading: add_host's hosts get the last source's, as there).
   */
  currentSource?: { file: string; dir: string };

  addHost(name: string, group?: string, port?: number): Host {
    if (!name) throw new InputError('INVENTORY_HOST', 'empty host name');
    const g = group ? this.groups.get(group) : undefined;
    if (group && !g) throw new InputError('INVENTORY_GROUP', `could not find group ${group}`);
    let h = this.hosts.get(name);
    if (!h) {
      h = new Host(name);
      if (port) h.setVariable('ansible_port', port);
      h.setVariable('inventory_file', this.currentSource?.file ?? null);
      h.setVariable('inventory_dir', this.currentSource?.dir ?? null);
      this.hosts.set(name, h);
    }
    g?.addHost(h);
    return h;
  }

  addChild(group: string, child: string) {
    const g = this.groups.get(group);
    if (!g) throw new InputError('INVENTORY_GROUP', `${group} is not a known group`);
    const cg = this.groups.get(child);
    if (cg) g.addChild(cg);
    else if (this.hosts.has(child)) g.addHost(this.hosts.get(child)!);
    else throw new InputError('INVENTORY_GROUP', `${child} is not a known host nor group`);
  }

  setVariable(entity: string, key: string, value: unknown) {
    const target = this.groups.get(entity) ?? this.hosts.get(entity);
    if (!target) throw new InputError('INVENTORY_GROUP', `could not identify group or host named ${entity}`);
    target.setVariable(key, value);
  }

  /** Ansible's reconcile_inventory: parentless groups go under `all`, lone hosts to `ungrouped`. */
  reconcile() {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.ancestors().size === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const h of this.hosts.values()) {
      if (h.groups.includes(ungrouped)) {
        if (h.groups.some((g) => g.name !== 'all' && g !== ungrouped)) ungrouped.removeHost(h);
      } else if (!h.implicit) {
        if (h.groups.length === 0 || (h.groups.length === 1 && h.groups[0] === this.all)) {
          this.addChild('ungrouped', h.name);
        }
      }
    }
  }

  /** A host by name, creating Ansible's implicit localhost when asked for one. */
  getHost(name: string): Host | undefined {
    const h = this.hosts.get(name);
    if (h) return h;
    if (!LOCALHOST_NAMES.includes(name)) return undefined;
    if (!this.implicitLocalhost) {
      const local = new Host(name);
      local.implicit = true;
      local.setVariable('ansible_connection', 'local');
      this.implicitLocalhost = local;
    }
    return this.implicitLocalhost;
  }
}
