// Customer companies and customer users straight into Znuny's default DB backend tables (no REST exists for
// them). Rows that already exist are left alone: the administrator's own data and earlier runs both win.
import type { SqlDb } from '../../../../src/kits/sql/index.js'
import { CUSTOMER_WIDTHS, sqlTime } from './build.js'
import type { DbStepCompany, DbStepCustomerUser, DbStepFailure, DbStepResult } from './types.js'
import { failureOf } from './failures.js'

type Alteration = DbStepResult['alterations'][number]

/** The user id Znuny's own setup scripts write as create_by/change_by: `root@localhost`, the system user. */
export const SYSTEM_USER_ID = 1

function fit(value: string | null, width: number, field: string, kind: Alteration['kind'], sourceId: string, out: Alteration[]): string | null {
  if (value === null || [...value].length <= width) return value
  out.push({ kind, sourceId, field, detail: `cut from ${[...value].length} to ${width} characters (Znuny's column width)` })
  return [...value].slice(0, width).join('')
}

/** Inserts the companies that are not there yet; a name another company already holds (UNIQUE) is a failure. */
export async function writeCompanies(db: SqlDb, rows: readonly DbStepCompany[], now: string, failures: DbStepFailure[], alterations: Alteration[]): Promise<{ created: string[]; existing: number }> {
  const created: string[] = []
  let existing = 0
  for (const c of rows) {
    try {
      const has = await db.query<{ customer_id: string }>('SELECT customer_id FROM customer_company WHERE customer_id = ?', [c.customerId])
      if (has.length) {
        existing++
        continue
      }
      const name = fit(c.name, CUSTOMER_WIDTHS.companyName, 'name', 'organization', c.sourceId, alterations)!
      const clash = await db.query<{ customer_id: string }>('SELECT customer_id FROM customer_company WHERE name = ?', [name])
      if (clash.length) {
        failures.push({ kind: 'organization', sourceId: c.sourceId, reason: 'duplicate', detail: `customer company "${name}" already exists in Znuny as ${clash[0]!.customer_id} (names are unique): rename one of them, then re-run` })
        continue
      }
      const at = c.createdAt ? sqlTime(c.createdAt) : now
      await db.execute(
        'INSERT INTO customer_company (customer_id, name, url, comments, valid_id, create_time, create_by, change_time, change_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)',
        [c.customerId, name, fit(c.url, CUSTOMER_WIDTHS.url, 'url', 'organization', c.sourceId, alterations), fit(c.comments, CUSTOMER_WIDTHS.comments, 'comments', 'organization', c.sourceId, alterations), at, SYSTEM_USER_ID, at, SYSTEM_USER_ID],
      )
      created.push(c.customerId)
    } catch (e) {
      failures.push(failureOf(e, 'organization', c.sourceId, `customer company ${c.customerId}`))
    }
  }
  return { created, existing }
}

/**
 * Inserts the customer users that are not there yet (by login). Znuny keeps e-mail addresses unique in the
 * application (`CustomerUserEmailUniqCheck`), not by an index: an address another login holds is a failure.
 * No password is set, so imported customers cannot log in until one is given (`Admin::CustomerUser::SetPassword`).
 */
export async function writeCustomerUsers(db: SqlDb, rows: readonly DbStepCustomerUser[], now: string, failures: DbStepFailure[], alterations: Alteration[]): Promise<{ created: string[]; existing: number }> {
  const created: string[] = []
  let existing = 0
  for (const u of rows) {
    try {
      const has = await db.query<{ login: string }>('SELECT login FROM customer_user WHERE login = ?', [u.login])
      if (has.length) {
        existing++
        continue
      }
      const other = await db.query<{ login: string }>('SELECT login FROM customer_user WHERE LOWER(email) = ?', [u.email.toLowerCase()])
      if (other.length) {
        failures.push({ kind: 'customer', sourceId: u.sourceId, reason: 'duplicate', detail: `${u.email} already belongs to Znuny customer user ${other[0]!.login} (Znuny keeps addresses unique)` })
        continue
      }
      const f = (v: string | null, w: number, field: string) => fit(v, w, field, 'customer', u.sourceId, alterations)
      const W = CUSTOMER_WIDTHS
      const at = u.createdAt ? sqlTime(u.createdAt) : now
      await db.execute(
        `INSERT INTO customer_user (login, email, customer_id, pw, title, first_name, last_name, phone, fax, mobile, street, zip, city, country, comments, valid_id, create_time, create_by, change_time, change_by)
         VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
        [
          f(u.login, W.login, 'login'),
          f(u.email, W.email, 'email'),
          f(u.customerId, W.customerId, 'customer_id'),
          f(u.title, W.title, 'title'),
          f(u.firstName, W.firstName, 'first_name'),
          f(u.lastName, W.lastName, 'last_name'),
          f(u.phone, W.phone, 'phone'),
          f(u.fax, W.phone, 'fax'),
          f(u.mobile, W.phone, 'mobile'),
          f(u.street, W.street, 'street'),
          f(u.zip, W.zip, 'zip'),
          f(u.city, W.city, 'city'),
          f(u.country, W.country, 'country'),
          f(u.comments, W.comments, 'comments'),
          at,
          SYSTEM_USER_ID,
          at,
          SYSTEM_USER_ID,
        ],
      )
      created.push(u.login)
    } catch (e) {
      failures.push(failureOf(e, 'customer', u.sourceId, `customer user ${u.login}`))
    }
  }
  return { created, existing }
}
