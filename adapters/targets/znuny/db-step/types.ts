// What the Znuny database step works on: plain data, built from the canonical model (build.ts) and the id map,
// so the planner stays pure and the runner can be re-run with the same input to resume.

/** A customer company row (`customer_company`, keyed by `customer_id`). */
export interface DbStepCompany {
  /** Canonical source id of the organization, for reports. */
  readonly sourceId: string
  /** `customer_company.customer_id` (PK, varchar 150): the key tickets and customer users name the company by. */
  readonly customerId: string
  /** `name` (UNIQUE, varchar 200). */
  readonly name: string
  readonly url: string | null
  readonly comments: string | null
  /** Source creation instant (ISO) or null (then the run's time). */
  readonly createdAt: string | null
}

/** A customer user row (`customer_user`, keyed by `login`). */
export interface DbStepCustomerUser {
  readonly sourceId: string
  /** `login` (UNIQUE, varchar 200): the value tickets carry in `customer_user_id`. */
  readonly login: string
  readonly email: string
  /** The company key (`customer_company.customer_id`), or the customer's own email when it has none (Znuny's convention). */
  readonly customerId: string
  readonly firstName: string
  readonly lastName: string
  readonly title: string | null
  readonly phone: string | null
  readonly mobile: string | null
  readonly fax: string | null
  readonly street: string | null
  readonly zip: string | null
  readonly city: string | null
  readonly country: string | null
  readonly comments: string | null
  readonly createdAt: string | null
}

/** One article of an imported ticket and the instant it really happened. */
export interface DbStepArticle {
  /** Canonical message source id, for reports. */
  readonly sourceId: string
  /** `article.id` in Znuny (from the id map). */
  readonly articleId: number
  /** ISO instant of the source message. */
  readonly createdAt: string
}

/** One imported ticket: where it is in Znuny and the values REST could not give it. */
export interface DbStepTicket {
  readonly sourceId: string
  /** `ticket.id` in Znuny (from the id map). */
  readonly ticketId: number
  /** The original number to put in `ticket.tn` (UNIQUE), or null to keep Znuny's. */
  readonly tn: string | null
  /** `ticket.customer_id` to set (the company key), or null to leave what TicketCreate stored. */
  readonly customerId: string | null
  readonly createdAt: string
  /** `ticket.change_time`: the last thing that happened in the source (never before `createdAt`). */
  readonly changedAt: string
  /** When the source closed it (a closed ticket gets a StateUpdate history row at that instant), else null. */
  readonly closedAt: string | null
  /** This run created the ticket (recorded for rollback when `runDbStep` gets a run id); false when it only updated it. */
  readonly created?: boolean
  /** In creation (= article id) order. */
  readonly articles: readonly DbStepArticle[]
}

/** Everything one database step does. */
export interface DbStepInput {
  readonly companies: readonly DbStepCompany[]
  readonly customerUsers: readonly DbStepCustomerUser[]
  readonly tickets: readonly DbStepTicket[]
}

/** A row the step could not write, reported like every other reject: kind, source id, reason, detail. */
export interface DbStepFailure {
  readonly kind: 'organization' | 'customer' | 'ticket'
  readonly sourceId: string
  readonly reason: 'duplicate' | 'missing' | 'invalid' | 'refused'
  readonly detail: string
}

/** What `runDbStep` did. Every count is what changed in this call: a re-run with the same input counts zeros. */
export interface DbStepResult {
  readonly companiesCreated: number
  /** Already there (an earlier run, or the administrator's own): left as they are. */
  readonly companiesExisting: number
  readonly customerUsersCreated: number
  readonly customerUsersExisting: number
  /** Tickets whose times, number or company the step changed. */
  readonly ticketsUpdated: number
  /** Tickets that already held every value (an earlier run of the step). */
  readonly ticketsUnchanged: number
  readonly articlesUpdated: number
  readonly historyRowsUpdated: number
  readonly historyRowsAdded: number
  readonly failures: readonly DbStepFailure[]
  /** Values cut to fit a column (field, rule, detail), by source id. */
  readonly alterations: readonly { readonly kind: 'organization' | 'customer'; readonly sourceId: string; readonly field: string; readonly detail: string }[]
}
