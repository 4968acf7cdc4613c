/** `quorum init DIR`: a site repository to start from (see roles/site-scaffold.ts). */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { siteScaffold } from '../roles/site-scaffold.ts';

export function registerInitCommand(program: Command) {
  program
    .command('init')
    .description(
      'a site repository: package.json on quorum, a site role with its test, a playbook, an inventory',
    )
    .argument('<dir>', 'a folder that does not exist yet or is empty')
    .option(
      '--quorum <spec>',
      'what the site depends on, as npm understands it (a version, a tarball, a git URL); default: this quorum',
    )
    .action((dir: string, o: { quorum?: string }) => {
      const root = resolve(dir);
      if (existsSync(root) && readdirSync(root).length > 0)
        throw new InputError('USAGE', `${root} is not empty`, undefined, 'give a new folder');
      const spec = o.quorum ?? `file:${PROJECT_ROOT}`;
      const name =
        basename(root)
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-') || 'site';
      for (const [file, text] of Object.entries(siteScaffold(name, spec))) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      }
      process.stdout.write(
        `created ${root} (quorum from ${spec}): next, cd there and run npm install, then npm run check\n`,
      );
    });
}
