/** quorum's inventory answers computed in-process, shaped like the Ansible oracle's. */
import { loadInventory } from '../../src/inventory/load.ts';
import { PatternMatcher } from '../../src/inventory/patterns.ts';
import { inventoryGraph, inventoryList } from '../../src/inventory/render.ts';

export function quorumList(sources: string[]): unknown {
  return JSON.parse(JSON.stringify(inventoryList(loadInventory(sources))));
}

export function quorumGraph(sources: string[]): string {
  return inventoryGraph(loadInventory(sources));
}

export function quorumPlayHosts(sources: string[], pattern: string): string[] {
  return new PatternMatcher(loadInventory(sources).data).hosts(pattern).map((h) => h.name);
}

export function quorumLimitHosts(sources: string[], pattern: string): string[] | undefined {
  const inv = loadInventory(sources);
  const matcher = new PatternMatcher(inv.data);
  try {
    const hosts = matcher.limit(matcher.hosts('all'), pattern);
    return hosts.length === 0 && inv.data.hosts.size > 0 ? undefined : hosts.map((h) => h.name);
  } catch {
    return undefined;
  }
}
