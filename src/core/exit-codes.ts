/** The documented exit codes (README "Exit codes"). `cli/main.ts` is the only reader. */
export const EXIT = {
  ok: 0,
  /** Command failed for a reason not listed below (generic). */
  failure: 1,
  usage: 2,
  config: 3,
  remoteUnavailable: 4,
  /** The run completed but some records were rejected (see `deskmove rejects`). */
  rejects: 5,
  verifyMismatch: 6,
  staging: 7,
  /** `plan`: the plan contains changes to apply (like `terraform plan -detailed-exitcode`). */
  changesPending: 8,
  /** `apply`: the reviewed plan no longer matches staging or the target. */
  planStale: 9,
  bug: 70,
  interrupted: 130,
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
