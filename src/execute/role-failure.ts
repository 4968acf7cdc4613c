/** A role stopped on a host with a message (ctx.fail, a failed step): data in the report. */
export class RoleFailure extends Error {}
