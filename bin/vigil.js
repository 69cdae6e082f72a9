#!/usr/bin/env node
// Entry point for `npx vigil`: runs the compiled CLI (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('vigil: the compiled CLI is missing (dist/). Run `npm install` or `npm run build` first.\n');
  process.exit(1);
}
await import(main.href);
