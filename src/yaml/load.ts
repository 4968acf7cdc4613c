/**
 * The one seam to the `yaml` package. Loads YAML the way Ansible (PyYAML, YAML 1.1) does and
 * remembers where every mapping key and value sits in the file, so later stages (schema
 * validation, inventory parsing) can point at file:line:col.
 */

import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { formatLocation, InputError, type SourceLocation } from '../errors.ts';
import { UnsafeText } from '../template/unsafe.ts';
import { addVaultPlaintexts, openVault } from '../vault/secrets.ts';
import { isVaultText } from '../vault/vault.ts';
import { indentQuotedContinuations } from './quoted-continuations.ts';
import { constructTagged, resolvePlainTag, type YamlTagName } from './scalars.ts';

export { UnsafeText } from '../template/unsafe.ts';

export type YamlMap = Record<string, unknown>;

const containerLocations = new WeakMap<object, SourceLocation>();
const entryLocations = new WeakMap<object, Map<string, SourceLocation>>();
const keyOriginals = new WeakMap<object, Map<string, unknown>>();
const keyOrders = new WeakMap<object, string[]>();

/**
 * A mapping's entries in file order. JavaScript moves integer-like keys ("10", "2") to the
 * front of an object; host and group order must not depend on that.
 */
export function orderedEntries(map: YamlMap): Array<[string, unknown]> {
  const order = keyOrders.get(map);
  if (!order) return Object.entries(map);
  return order.filter((k) => k in map).map((k) => [k, map[k]]);
}

/** Where a mapping or sequence starts. */
export function locationOf(container: object): SourceLocation | undefined {
  return containerLocations.get(container);
}

/** Where a mapping key (or a sequence item, by index) sits. */
export function entryLocation(container: object, key: string | number): SourceLocation | undefined {
  return entryLocations.get(container)?.get(String(key)) ?? containerLocations.get(container);
}

/** A mapping rebuilt from `from` keeps where it and its keys were written (`renamed`: new key -> old key). */
export function copyLocations(from: object, to: object, renamed: Record<string, string> = {}): void {
  const at = containerLocations.get(from);
  if (at) containerLocations.set(to, at);
  const entries = new Map(entryLocations.get(from) ?? []);
  for (const [key, old] of Object.entries(renamed)) {
    const loc = entries.get(old);
    if (loc) entries.set(key, loc);
  }
  entryLocations.set(to, entries);
}

/** The key as YAML typed it (a number, a boolean, null), when it was not a string. */
export function originalKey(container: object, key: string): unknown {
  const originals = keyOriginals.get(container);
  return originals?.has(key) ? originals.get(key) : key;
}

/** JSON object keys the way Python's json module writes non-string dict keys. */
export function pythonKeyString(key: unknown): string {
  if (key === true) return 'true';
  if (key === false) return 'false';
  if (key === null || key === undefined) return 'null';
  if (key instanceof UnsafeText) return key.text;
  if (typeof key === 'number' && Number.isInteger(key) && !Object.is(key, -0)) return String(key);
  if (typeof key === 'number') return Number.isFinite(key) ? pyFloatRepr(key) : String(key);
  return String(key);
}

function pyFloatRepr(n: number): string {
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export interface LoadOptions {
  /** Called for duplicate keys (last one wins, as in Ansible). */
  onWarning?: (message: string, where: SourceLocation) => void;
}

/**
 * Warnings of YAML files loaded without their own onWarning (a playbook, its task files, roles,
 * vars files): the run takes them (takeYamlWarnings) and shows them with its own.
 */
const pendingWarnings: string[] = [];

export function takeYamlWarnings(): string[] {
  // one per place and message, however many hosts a check met it for
  return [...new Set(pendingWarnings.splice(0))];
}

const keepWarning = (message: string, where: SourceLocation) =>
  pendingWarnings.push(`${formatLocation(where)}: ${message}`);

/** A warning about a file the run reads, shown with the run's own (as YAML's are). */
export const noteWarning = keepWarning;

export function loadYaml(text: string, file: string, options: LoadOptions = {}): unknown {
  // a file ansible-vault encrypted whole: its YAML, every text value in it a secret of the run
  if (isVaultText(text)) {
    const value = loadYaml(openVault(text, { file }), file, options);
    addVaultPlaintexts(textLeaves(value));
    return value;
  }
  options = { onWarning: keepWarning, ...options };
  let lineCounter = new LineCounter();
  const parse = (source: string, counter: LineCounter) =>
    parseDocument(source, {
      schema: 'failsafe',
      version: '1.1',
      uniqueKeys: false,
      lineCounter: counter,
      merge: false,
      prettyErrors: false,
    });
  let doc = parse(text, lineCounter);
  // PyYAML's reading of quoted continuation lines at column 0 (quoted-continuations.ts)
  const lenient = doc.errors[0]?.code === 'MISSING_CHAR' ? indentQuotedContinuations(text) : undefined;
  if (lenient !== undefined) {
    const counter = new LineCounter();
    const again = parse(lenient, counter);
    if (again.errors.length === 0) [doc, lineCounter] = [again, counter];
  }
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    if (/Maximum call stack size/.test(message))
      throw new InputError('YAML_DEPTH', 'its values nest deeper than quorum can read', at(err.pos[0]));
    throw new InputError('YAML_SYNTAX', `invalid YAML: ${message}`, at(err.pos[0]));
  }
  const nodes = new Map<Node, number>();
  const size = expandedSize(doc.contents as Node | null, doc, nodes);
  // What aliases add beyond the nodes written out: a large plain file is not a bomb
  if (size - nodes.size > MAX_EXPANDED_VALUES)
    throw new InputError(
      'YAML_ALIAS_BOMB',
      `its aliases expand to ${Number.isFinite(size) ? `about ${size.toExponential(1)}` : 'infinitely many'} values, more than ${MAX_EXPANDED_VALUES.toLocaleString('en')}`,
      { file },
      'an alias bomb, or anchors nested far deeper than any inventory or playbook needs',
    );
  return new Converter(doc, at, options).convert(doc.contents as Node | null);
}

function textLeaves(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (v instanceof UnsafeText) return [String(v)];
  if (v && typeof v === 'object') return Object.values(v).flatMap(textLeaves);
  return [];
}

/** Values a document stands for once every alias is expanded; past this it is refused. */
export const MAX_EXPANDED_VALUES = 1_000_000;

/**
 * Counted once per node (aliases share their target's count), so a 600-byte document that
 * expands to 10^9 values costs as many steps as it has nodes. A node inside its own anchor
 * counts as infinite.
 */
function expandedSize(node: Node | null | undefined, doc: Document, memo: Map<Node, number>): number {
  if (node === null || node === undefined) return 1;
  if (isAlias(node)) {
    const target = node.resolve(doc) as Node | undefined;
    return target ? expandedSize(target, doc, memo) : 1;
  }
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, Number.POSITIVE_INFINITY); // in progress: reaching it again is a cycle
  let n = 1;
  if (isSeq(node)) for (const item of node.items) n += expandedSize(item as Node, doc, memo);
  else if (isMap(node))
    for (const pair of node.items)
      n += expandedSize(pair.key as Node, doc, memo) + expandedSize(pair.value as Node, doc, memo);
  memo.set(node, n);
  return n;
}

class Converter {
  private readonly done = new Map<Node, unknown>();
  constructor(
    private readonly doc: Document,
    private readonly at: (offset: number) => SourceLocation,
    private readonly options: LoadOptions,
  ) {}

  convert(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as Node | undefined;
      if (!target)
        throw new InputError('YAML_ALIAS', `unknown alias *${node.source}`, this.at(node.range?.[0] ?? 0));
      return this.convert(target);
    }
    const cached = this.done.get(node);
    if (cached !== undefined) return cached;
    if (isScalar(node))
      return this.scalar(node.tag, node.type, String(node.value ?? ''), node.range?.[0] ?? 0);
    if (isSeq(node)) {
      const out: unknown[] = [];
      this.done.set(node, out);
      containerLocations.set(out, this.at(node.range?.[0] ?? 0));
      const positions = new Map<string, SourceLocation>();
      node.items.forEach((item, i) => {
        out.push(this.convert(item as Node));
        positions.set(String(i), this.at((item as Node)?.range?.[0] ?? node.range?.[0] ?? 0));
      });
      entryLocations.set(out, positions);
      return out;
    }
    if (isMap(node)) return this.mapping(node);
    return null;
  }

  private scalar(tag: string | undefined, type: string | undefined, raw: string, offset: number): unknown {
    if (tag === '!unsafe') return new UnsafeText(raw);
    if (tag === '!vault' || tag === '!vault-encrypted') return openVault(raw, this.at(offset));
    if (tag?.startsWith('tag:yaml.org,2002:')) {
      const name = tag.slice('tag:yaml.org,2002:'.length) as YamlTagName;
      if (['bool', 'int', 'float', 'null', 'timestamp', 'str'].includes(name))
        return constructTagged(name, raw);
    }
    // Ansible's loader has a constructor for no other tag: its text would be a silent guess
    if (tag && tag !== '!')
      throw new InputError(
        'YAML_TAG',
        `could not determine a constructor for the tag '${tag}'`,
        this.at(offset),
      );
    if (type !== 'PLAIN' || tag === '!') return raw;
    return constructTagged(resolvePlainTag(raw), raw);
  }

  private mapping(node: Node & { items: unknown[]; range?: [number, number, number] | null }): YamlMap {
    const out: YamlMap = {};
    this.done.set(node, out);
    containerLocations.set(out, this.at(node.range?.[0] ?? 0));
    const positions = new Map<string, SourceLocation>();
    const originals = new Map<string, unknown>();
    // PyYAML puts merged (<<) pairs before the explicit ones; a later duplicate keeps the
    // first one's place in the mapping and replaces its value.
    const merged: Array<[string, unknown, SourceLocation, unknown]> = [];
    const explicit: Array<[string, unknown, SourceLocation, unknown]> = [];
    const seen = new Set<string>();
    for (const pair of node.items as Array<{ key: Node | null; value: Node | null }>) {
      const keyNode = pair.key;
      const where = this.at(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && !keyNode.tag && keyNode.value === '<<') {
        this.mergeInto(merged, pair.value, where);
        continue;
      }
      const key = this.convert(keyNode);
      const name = pythonKeyString(key);
      if (seen.has(name)) {
        // Ansible: "found a duplicate dict key (X). Using last defined value only."
        this.options.onWarning?.(`duplicate key "${name}": the last one is used`, where);
      }
      seen.add(name);
      explicit.push([name, this.convert(pair.value), where, key]);
    }
    for (const [name, value, where, key] of [...merged, ...explicit]) {
      out[name] = value;
      if (!positions.has(name)) positions.set(name, where);
      if (typeof key !== 'string') originals.set(name, key);
      else originals.delete(name);
    }
    entryLocations.set(out, positions);
    keyOrders.set(out, [...positions.keys()]);
    if (originals.size > 0) keyOriginals.set(out, originals);
    return out;
  }

  private mergeInto(
    merged: Array<[string, unknown, SourceLocation, unknown]>,
    value: Node | null,
    where: SourceLocation,
  ) {
    const source = this.convert(value);
    const taken = new Set(merged.map(([name]) => name));
    const sources = Array.isArray(source) ? source : [source];
    for (const src of sources) {
      if (src === null || typeof src !== 'object' || Array.isArray(src)) {
        throw new InputError('YAML_MERGE', 'a merge key (<<) needs a mapping or a list of mappings', where);
      }
      for (const [k, v] of Object.entries(src)) {
        if (taken.has(k)) continue;
        taken.add(k);
        merged.push([k, v, entryLocation(src, k) ?? where, originalKey(src, k)]);
      }
    }
  }
}
