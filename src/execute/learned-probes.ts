/**
 * Probes learned from the last run. A YAML task's probes are known before its turn by planning
 * the steps ahead (speculate.ts); a TypeScript role's are not: its code picks each next step. So
 * what each role's node asked of a host on the last run is kept on the controller, and at the
 * node's first probe this run those go out with it (probe-cache.ts): a converged node costs one
 * round trip and one `stat` and `cat` for all its paths, not one of each per step.
 *
 * The answers sent this way are used under the probe cache's rules (each at most once, all of
 * them dropped by any change on the host), so a role that asks something else this time only
 * wastes a read. Kept: probes a module lets go ahead of their turn (not user commands, k8s or
 * waits: ModuleDef.prefetch), none of a no_log step, none whose command holds a secret of the
 * run. One file per host under $XDG_CACHE_HOME/quorum/probes (default ~/.cache), owner-only,
 * the latest MAX_NODES nodes; deleting it costs each node one run of single probes.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Lookahead, ProbeRequest } from './probe-cache.ts';

const MAX_NODES = 200;
const MAX_PROBES = 256;

type Learned = Record<string, ProbeRequest[]>;

/** One node's run: what it asked, and what the last run's asking sends ahead now. */
export class NodeProbes {
  readonly asked: ProbeRequest[] = [];
  private sent = false;

  constructor(private readonly last: ProbeRequest[]) {}

  /** The last run's probes, once (the probe cache leaves out the one being asked). */
  readonly lookahead: Lookahead = async (window) => {
    if (this.sent) return [];
    this.sent = true;
    return this.last.slice(0, window);
  };

  readonly note = (r: ProbeRequest) => {
    if (this.asked.length < MAX_PROBES) this.asked.push(r);
  };
}

export class LearnedProbes {
  private learned?: Learned;
  private changed = false;

  constructor(
    private readonly host: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private file(): string {
    const base = this.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return join(base, 'quorum', 'probes', `${encodeURIComponent(this.host)}.json`);
  }

  private all(): Learned {
    if (!this.learned) {
      try {
        const read = JSON.parse(readFileSync(this.file(), 'utf8')) as Learned;
        this.learned = read && typeof read === 'object' && !Array.isArray(read) ? read : {};
      } catch {
        this.learned = {};
      }
    }
    return this.learned;
  }

  /** A node starts: what it asked last time goes ahead of its first probe. */
  start(key: string): NodeProbes {
    const last = this.all()[key];
    return new NodeProbes(Array.isArray(last) ? last : []);
  }

  /** A node ended without failing: what it asked is what the next run sends ahead. */
  finish(key: string, node: NodeProbes) {
    const all = this.all();
    const before = JSON.stringify(all[key] ?? []);
    delete all[key];
    all[key] = node.asked;
    if (JSON.stringify(node.asked) !== before) this.changed = true;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_NODES))) delete all[old];
  }

  /** Written once at the end of the run; one that cannot be written costs the next run its batches. */
  save() {
    if (!this.changed || !this.learned) return;
    const file = this.file();
    try {
      mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(`${file}.tmp`, JSON.stringify(this.learned), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      this.changed = false;
    } catch {}
  }
}
