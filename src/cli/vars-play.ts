/**
 * The play and role layers of `quorum vars --playbook`: where a play's variables come from and,
 * with --role, what a role's tasks see on top of them. Lowest first, as quorum merges them at run
 * time and as Ansible orders them: role defaults < the inventory's layers < play vars (import,
 * vars, vars_files in order) < role vars < role params < -e.
 */
import { InputError } from '../errors.ts';
import type { LoadedInventory } from '../inventory/load.ts';
import { PatternMatcher } from '../inventory/patterns.ts';
import type { VarsLayer } from '../inventory/vars.ts';
import { didYouMean } from '../playbook/errors.ts';
import { loadPlaybook } from '../playbook/load.ts';
import type { Play } from '../playbook/model.ts';
import { discoverRoles, loadRole, roleSearchPath } from '../roles/registry.ts';

export interface PlayLayers {
  play: Play;
  /** Lowest: under the inventory's layers. */
  below: VarsLayer[];
  /** Above the inventory's layers, under -e. */
  above: VarsLayer[];
}

/** A TypeScript role's schema defaults: what its params are when nothing sets them. */
async function schemaDefaults(
  role: string,
  rolesPath: string[],
  playbookDir: string,
): Promise<Record<string, unknown>> {
  const found = discoverRoles(roleSearchPath({ playbookDir, rolesPath }));
  if (!found.has(role)) return {};
  const props = (
    (await loadRole(role, found)).params as { properties?: Record<string, { default?: unknown }> }
  ).properties;
  return Object.fromEntries(
    Object.entries(props ?? {}).flatMap(([k, s]) => (s.default === undefined ? [] : [[k, s.default]])),
  );
}

export async function playLayers(
  inv: LoadedInventory,
  hostName: string,
  o: { playbook: string; play?: string; role?: string; rolesPath?: string[] },
): Promise<PlayLayers> {
  const pb = loadPlaybook(o.playbook, { rolesPath: o.rolesPath });
  const matcher = new PatternMatcher(inv.data);
  const targeting = pb.plays.filter((p) => matcher.hosts(p.hosts as string).some((h) => h.name === hostName));
  const play =
    o.play === undefined
      ? targeting[0]
      : targeting.find((p) => p.name === o.play || String(p.index + 1) === o.play);
  if (!play)
    throw new InputError(
      'USAGE',
      o.play === undefined
        ? `no play of ${o.playbook} targets ${hostName}`
        : `no play "${o.play}" of ${o.playbook} targets ${hostName}`,
      undefined,
      targeting.length
        ? `plays that do: ${targeting.map((p) => `${p.index + 1} "${p.name}"`).join(', ')}`
        : undefined,
    );
  const sources = play.varSources ?? { play: [{ source: 'play vars', vars: play.vars }], roles: [] };
  const above: VarsLayer[] = sources.play.filter((s) => Object.keys(s.vars).length > 0);
  const below: VarsLayer[] = [];
  if (o.role !== undefined) {
    const role = sources.roles.find((r) => r.role === o.role);
    if (!role) {
      const guess = didYouMean(
        o.role,
        sources.roles.map((r) => r.role),
      );
      throw new InputError(
        'USAGE',
        `play "${play.name}" has no role ${o.role} under roles:`,
        undefined,
        guess
          ? `did you mean "${guess}"?`
          : `its roles: ${sources.roles.map((r) => r.role).join(', ') || '(none)'}`,
      );
    }
    const defaults = role.defaults ?? (await schemaDefaults(role.role, o.rolesPath ?? [], pb.dir));
    below.push({ source: `role ${role.role}: defaults`, vars: defaults });
    if (role.vars) above.push({ source: `role ${role.role}: vars/main`, vars: role.vars });
    above.push({ source: `role ${role.role}: params (its roles: entry)`, vars: role.params });
  }
  return { play, below, above };
}
