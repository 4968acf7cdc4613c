/**
 * The names every Jinja2 template has from the engine, not from the variables (`{{ omit }}`,
 * `range(3)`, `now()`): the fast path for plain `{{ path }}` text leaves them to the engine,
 * and the rewrite does not look them up. Its own file: render.ts reads it without loading the engine.
 */
export const GLOBALS = new Set([
  'range',
  'lookup',
  'query',
  'q',
  'dict',
  'namespace',
  'lipsum',
  'cycler',
  'joiner',
  'omit',
  'now',
]);
