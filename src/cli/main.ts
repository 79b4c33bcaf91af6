import { buildProgram } from './program.js'
import { resolveExitCode } from './exit.js'

// The only place that turns errors into exit codes (changesets index.ts, rclone resolveExitCode).
const program = buildProgram()
try {
  await program.parseAsync(process.argv)
} catch (e) {
  process.exitCode = resolveExitCode(e)
}
