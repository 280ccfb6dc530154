#!/usr/bin/env node
// The `tessera` bin. npm links bins when it installs, which in a fresh clone of the repository is before
// the build exists: this committed shim is what gets linked, and it loads the built command line.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('tessera: the command line is not built yet; run "npm run build" first\n');
  process.exit(1);
}
await import(cli.href);
