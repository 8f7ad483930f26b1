#!/usr/bin/env node
import { main } from './cli/main.js'

// The CLI entry: the process's arguments, streams and environment, then the exit code.
// Stack traces of unexpected errors point at src/ through the bundle's source map.
process.setSourceMapsEnabled(true)
process.exitCode = await main(process.argv.slice(2), {
  stdout: text => void process.stdout.write(text),
  stderr: text => void process.stderr.write(text),
  env: process.env
})
