/** Bad input to a filter, test or lookup: shown as the template's error, at its place. */
export class FilterError extends Error {}
