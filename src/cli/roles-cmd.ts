/** `quorum roles list | show NAME | new NAME`. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { discoverRoles, loadRole, type RoleLoader, roleLoader, roleSearchPath } from '../roles/registry.ts';
import { roleScaffold } from '../roles/scaffold.ts';
import { collect } from './options.ts';

const LOADERS: Record<RoleLoader, string> = {
  bundle: "quorum's build (a built-in role)",
  node: `Node ${process.version}, which strips the types (no compiler)`,
  tsx: 'tsx (TypeScript compiled at load)',
};

export function paramsTable(schema: {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
}): string {
  const rows = Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const type = Array.isArray(s.type) ? s.type.join('|') : String(s.type ?? (s.enum ? 'enum' : 'any'));
    const def =
      s.default === undefined
        ? schema.required?.includes(name)
          ? '(required)'
          : ''
        : JSON.stringify(s.default);
    const desc = `${String(s.description ?? '')}${s.secret ? ' (secret)' : ''}${s.enum ? ` one of: ${(s.enum as unknown[]).join(', ')}` : ''}`;
    return [name, type, def, desc.trim()];
  });
  const header = ['param', 'type', 'default', 'description'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

export function registerRoleCommands(program: Command) {
  const roles = program.command('roles').description('list, show and scaffold roles');
  roles
    .command('list')
    .description(
      'roles from the built-in folder and site folders (roles/ here, --roles-path, QUORUM_ROLES_PATH)',
    )
    .option('--roles-path <dir>', 'extra folder of site roles (repeatable)', collect)
    .action(async (o: { rolesPath?: string[] }) => {
      const found = discoverRoles(roleSearchPath({ playbookDir: process.cwd(), rolesPath: o.rolesPath }));
      let broken = 0;
      for (const [name] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
        try {
          const role = await loadRole(name, found);
          process.stdout.write(`${name.padEnd(20)} ${role.description}\n`);
        } catch (e) {
          // one role that does not load hides none of the others; it is named with its error
          broken++;
          const why = e instanceof InputError ? e.describe() : (e as Error).message;
          process.stderr.write(`${name}: cannot be loaded: ${why.split('\n')[0]}\n`);
        }
      }
      if (broken) process.exitCode = 1;
    });
  roles
    .command('show')
    .description("a role's description, needs and parameters")
    .argument('<name>')
    .option('--roles-path <dir>', 'extra folder of site roles (repeatable)', collect)
    .action(async (name: string, o: { rolesPath?: string[] }) => {
      const found = discoverRoles(roleSearchPath({ playbookDir: process.cwd(), rolesPath: o.rolesPath }));
      const role = await loadRole(name, found);
      process.stdout.write(`${role.name}: ${role.description}\nfolder: ${role.dir}\n`);
      process.stdout.write(`loaded by: ${LOADERS[roleLoader(role.dir) ?? 'tsx']}\n`);
      if (role.needs?.length) process.stdout.write(`needs: ${role.needs.join(', ')}\n`);
      process.stdout.write(`\n${paramsTable(role.params as never)}\n`);
    });
  roles
    .command('new')
    .description('scaffold a site role (index.ts, README.md, templates/, a test) under ./roles')
    .argument('<name>')
    .option('--dir <dir>', 'parent folder', 'roles')
    .action((name: string, o: { dir: string }) => {
      if (!/^[a-z][a-z0-9-]*$/.test(name)) {
        throw new InputError('USAGE', `role names are lower-case words joined by "-", got "${name}"`);
      }
      const dir = resolve(o.dir, name);
      if (existsSync(dir)) throw new InputError('USAGE', `${dir} already exists`);
      mkdirSync(join(dir, 'templates'), { recursive: true });
      for (const [file, text] of Object.entries(roleScaffold(name))) writeFileSync(join(dir, file), text);
      process.stdout.write(`created ${dir}: index.ts, README.md, templates/, ${name}.test.ts\n`);
    });
}
