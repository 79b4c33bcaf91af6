import type { FsDb } from './db.js'

/** `folders.type` codes (freescout.md 4.1). */
export const FOLDER_TYPE = {
  unassigned: 1,
  mine: 20,
  starred: 25,
  drafts: 30,
  assigned: 40,
  closed: 60,
  deleted: 70,
  spam: 80,
} as const

/** Public folders every mailbox has, and personal ones each user with access (and each admin) has per mailbox. */
export const PUBLIC_FOLDER_TYPES = [1, 30, 40, 60, 70, 80] as const
export const PERSONAL_FOLDER_TYPES = [20, 25] as const

/** `conversations.status` / `state` codes used by the folder rule. */
export const CONVERSATION_STATUS = { active: 1, pending: 2, closed: 3, spam: 4 } as const
export const CONVERSATION_STATE = { draft: 1, published: 2, deleted: 3 } as const

/**
 * The folder a conversation belongs in (`Conversation::updateFolder()`, freescout.md 4.4): draft → Drafts,
 * deleted → Deleted, spam → Spam, closed → Closed, assigned → Assigned, otherwise Unassigned.
 */
export function expectedFolderType(c: { state: number; status: number; userId: number | null }): number {
  if (c.state === CONVERSATION_STATE.draft) return FOLDER_TYPE.drafts
  if (c.state === CONVERSATION_STATE.deleted) return FOLDER_TYPE.deleted
  if (c.status === CONVERSATION_STATUS.spam) return FOLDER_TYPE.spam
  if (c.status === CONVERSATION_STATUS.closed) return FOLDER_TYPE.closed
  if (c.userId !== null) return FOLDER_TYPE.assigned
  return FOLDER_TYPE.unassigned
}

function inList(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ')
}

/**
 * Subqueries computing each folder's counters from live rows, keyed on the outer `folders` row `f` — the same
 * rules as `freescout:update-folder-counters` (freescout.md 4.4, A.3). Shared with the counter check so the
 * check and the fix can never disagree.
 */
export const COUNTER_RULES: readonly { types: readonly number[]; active: string; total: string }[] = [
  {
    // Mine: a per-user view of assigned conversations in the mailbox, not a folder_id target.
    types: [FOLDER_TYPE.mine],
    active: 'SELECT COUNT(*) FROM conversations c WHERE c.mailbox_id = f.mailbox_id AND c.user_id = f.user_id AND c.state = 2 AND c.status = 1',
    total: 'SELECT COUNT(*) FROM conversations c WHERE c.mailbox_id = f.mailbox_id AND c.user_id = f.user_id AND c.state = 2',
  },
  {
    types: [FOLDER_TYPE.deleted],
    active: 'SELECT COUNT(*) FROM conversations c WHERE c.folder_id = f.id AND c.state = 3',
    total: 'SELECT COUNT(*) FROM conversations c WHERE c.folder_id = f.id AND c.state = 3',
  },
  {
    // Indirect folders: membership lives in conversation_folder rows.
    types: [FOLDER_TYPE.starred, FOLDER_TYPE.drafts],
    active: 'SELECT COUNT(*) FROM conversation_folder cf WHERE cf.folder_id = f.id',
    total: 'SELECT COUNT(*) FROM conversation_folder cf WHERE cf.folder_id = f.id',
  },
  {
    types: [FOLDER_TYPE.unassigned, FOLDER_TYPE.assigned, FOLDER_TYPE.closed, FOLDER_TYPE.spam],
    active: 'SELECT COUNT(*) FROM conversations c WHERE c.folder_id = f.id AND c.state = 2 AND c.status = 1',
    total: 'SELECT COUNT(*) FROM conversations c WHERE c.folder_id = f.id AND c.state = 2',
  },
]

/**
 * Recomputes `folders.active_count` / `total_count` of every folder in the given mailboxes, as
 * `php artisan freescout:update-folder-counters` would. Runs on the handle it is given, so it joins the caller's
 * transaction when passed one.
 */
export async function recomputeFolderCounters(db: FsDb, mailboxIds: number[]): Promise<void> {
  if (mailboxIds.length === 0) return
  for (const rule of COUNTER_RULES) {
    // One set-based UPDATE per rule; `f` is the updated row, which both engines let the subqueries correlate on.
    await db.execute(
      `UPDATE folders f SET active_count = (${rule.active}), total_count = (${rule.total}) ` +
        `WHERE f.mailbox_id IN (${inList(mailboxIds.length)}) AND f.type IN (${inList(rule.types.length)})`,
      [...mailboxIds, ...rule.types],
    )
  }
}
