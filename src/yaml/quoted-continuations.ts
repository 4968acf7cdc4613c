/**
 * PyYAML (ansible-core's reader) takes a quoted scalar whose continuation lines start at column
 * 0, as roles write long templates:
 *
 *   k3s_runtime_config: "{{
 *     (k3s_control_node is defined) | ternary(...)
 *   }}"
 *
 * YAML 1.2 (and the `yaml` package) wants such lines indented. A continuation line's leading
 * whitespace is folded away, so indenting them changes no value: this gives the
 * text that reading (such lines indented past the column of the opening quote), for a file that
 * failed with a missing closing quote. Only quoted scalars
 * are touched; comments and block scalars (`|`, `>`) are passed over.
 */

/** The text with each under-indented continuation line of a multi-line quoted scalar indented past its opening line; undefined when there is none. */
export function indentQuotedContinuations(text: string): string | undefined {
  const lines = text.split('\n');
  let quote: '"' | "'" | undefined;
  /** How far the continuation lines of the open quote are indented at least: past the quote itself. */
  let continuationIndent = 0;
  let blockIndent: number | undefined;
  let changed = false;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    const indent = line.search(/\S/);
    if (blockIndent !== undefined) {
      if (indent < 0 || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    if (quote && indent >= 0 && indent < continuationIndent) {
      line = ' '.repeat(continuationIndent - indent) + line;
      lines[n] = line;
      changed = true;
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = undefined;
      } else if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = undefined;
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
      else if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(line[i - 1]))) {
        quote = c;
        continuationIndent = i + 1;
      } else if (
        /[|>]/.test(c) &&
        /(^|[\s:-])$/.test(line.slice(0, i)) &&
        /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(i))
      ) {
        blockIndent = indent;
        break;
      }
    }
  }
  return changed ? lines.join('\n') : undefined;
}
