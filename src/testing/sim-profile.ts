import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hash32 } from '../kits/simulator/rng.js'
import { parseProfile, type SimProfile } from '../kits/simulator/profile.js'

/**
 * The payload profile a simulator-backed test uses, so the suite meets sparse payloads half of the time.
 *
 * `DESKMOVE_SIM_PROFILE=full|sparse` forces one profile everywhere (to reproduce a failure);
 * unset or `alternate`, each test file gets a fixed profile chosen by its file name, and
 * `DESKMOVE_SIM_PROFILE_FLIP=1` swaps every choice (a CI job can run both halves).
 *
 * Call it with `import.meta.url`; pass the result as `profile` to the simulator (or `--profile`).
 */
export function testSimProfile(testFileUrl: string, env: Readonly<Record<string, string | undefined>> = process.env): SimProfile {
  const forced = env.DESKMOVE_SIM_PROFILE
  if (forced && forced !== 'alternate') return parseProfile(forced)
  const name = basename(testFileUrl.startsWith('file:') ? fileURLToPath(testFileUrl) : testFileUrl)
  let h = 0
  for (let i = 0; i < name.length; i++) h = hash32(h, name.charCodeAt(i))
  const sparse = (h & 1) === 1
  return sparse !== (env.DESKMOVE_SIM_PROFILE_FLIP === '1') ? 'sparse' : 'full'
}
