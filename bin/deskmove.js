#!/usr/bin/env node
// Thin entry: everything lives in the compiled CLI.
import '../dist/src/cli/main.js'
