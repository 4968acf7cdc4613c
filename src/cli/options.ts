/** Option parsers shared by the commands. */

/** A repeatable option (`-i a -i b`) collected into a list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
