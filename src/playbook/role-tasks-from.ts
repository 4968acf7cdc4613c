/**
 * include_role's `tasks_from` written as a template (`"{{ __sr_tasks_from | default('main') }}"`):
 * the role is read once per file of its tasks/ the template can name, each under a guard that
 * holds only where the template renders to that file's name, as include_tasks' templated names
 * are (include-files.ts): the file is chosen at run time, per host, as in ansible-core.
 */
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { nameExpression, templatePattern } from './include-files.ts';

const EXTENSIONS = ['.yml', '.yaml', '.json'];

export function tasksFromChoices(roleDir: string, template: string): Array<{ name: string; guard: string }> {
  let files: string[];
  try {
    files = readdirSync(join(roleDir, 'tasks')).filter((f) => EXTENSIONS.includes(extname(f)));
  } catch {
    return [];
  }
  const pattern = templatePattern(template);
  const expr = nameExpression(template);
  return files.flatMap((f) => {
    const bare = f.slice(0, -extname(f).length);
    const names = [bare, f].filter((n) => pattern.test(n));
    if (!names.length) return [];
    return [{ name: bare, guard: `(${expr}) in ${JSON.stringify(names)}` }];
  });
}
