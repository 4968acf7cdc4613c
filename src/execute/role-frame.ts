/** Where in a role's own code an error was thrown: its stack, read through source maps. */
/** file:line:col of the innermost stack frame in a role's folder (source-mapped), if any. */
export function roleFrame(e: Error, roleDir: string): string | undefined {
  for (const line of (e.stack ?? '').split('\n').slice(1)) {
    const m = /(?:file:\/\/)?(\/[^\s():?]+)(?:\?[^\s():]*)?:(\d+):(\d+)/.exec(line);
    if (m?.[1].startsWith(`${roleDir}/`)) return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
