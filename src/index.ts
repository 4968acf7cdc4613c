/** quorum's public API for role authors and embedders. */

export { runPlaybook } from './execute/run.ts';
export type { RunEvent } from './report/events.ts';
export type {
  CheckContext,
  CommandResult,
  DelegatedContext,
  KnownAfterApply,
  MaybeKnown,
  PublishOptions,
  QueryParams,
  RoleContext,
  RoleDefinition,
  RolePlanEntry,
  StepOptions,
  StepResult,
} from './roles/define.ts';
export { defineRole, known } from './roles/define.ts';
