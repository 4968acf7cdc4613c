/**
 * A Jinja2 template file whose every `{{ }}` prints a plain variable holding text (no block,
 * comment, filter or whitespace control): filled in without the Jinja engine, exactly as
 * renderText gives it, its trailing newlines included. Loading the engine (its WASM) and a
 * render cost ~50 ms of a run and ~1 ms per host and file; most configuration templates of a
 * converged run are these. Anything else, and any lookup that fails, is left to the engine,
 * which says what is wrong as it always does. Held to the engine by test/template/plain-jinja.test.ts.
 */
import { trailingNewlines } from './jinja/engine.ts';
import { hasTemplate, lookupPath, PLAIN_PART } from './plain-path.ts';
import { isUnknown } from './unknown.ts';

export function plainJinjaFile(body: string, vars: Record<string, unknown>): string | undefined {
  if (body.includes('{%') || body.includes('{#') || body.includes('\r')) return undefined;
  if (body.replace(PLAIN_PART, '').includes('{{')) return undefined;
  let plain = true;
  // Jinja drops one trailing newline of the source (keep_trailing_newline off); Ansible gives
  // back as many as the source ended with
  const source = body.endsWith('\n') ? body.slice(0, -1) : body;
  const text = source.replace(PLAIN_PART, (_, path: string) => {
    let value: unknown;
    try {
      value = lookupPath(vars, path, '');
    } catch {
      plain = false;
      return '';
    }
    // a value known after apply prints its marker, which makes the file known after apply
    if (isUnknown(value)) return String(value);
    // other values print as Python does (True, None, 2.0, [1, 2]): the engine's job
    if (typeof value !== 'string' || hasTemplate(value)) plain = false;
    return String(value);
  });
  if (!plain) return undefined;
  const missing = trailingNewlines(body) - trailingNewlines(text);
  return missing > 0 ? text + '\n'.repeat(missing) : text;
}
