// Module hooks for a worker thread started from TypeScript source (vitest): .ts files are compiled on the fly.
// From dist/ the compiled .js files exist and these hooks are never loaded (sqlite-writer-thread.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Emitted modules are cached by content: loading the compiler costs a second, and tests start many threads.
const CACHE = join(tmpdir(), 'vigil-ts-source-cache');

/** A relative `./x.js` import from a .ts module resolves to `./x.ts` when only the source exists. */
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const compiled = new URL(specifier, context.parentURL);
    const source = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (!existsSync(fileURLToPath(compiled)) && existsSync(fileURLToPath(source))) return { url: source.href, shortCircuit: true };
  }
  return next(specifier, context);
}

/** A .ts module loads as the ES module TypeScript emits for it (types erased, no type checking: tsc does that). */
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const text = readFileSync(file, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(file).update('\0').update(text).digest('hex')}.js`);
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  const { default: ts } = await import('typescript');
  const { outputText } = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  });
  mkdirSync(CACHE, { recursive: true });
  // Written aside then renamed, so a thread starting at the same time never reads half a file.
  const aside = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(aside, outputText);
  renameSync(aside, cached);
  return { format: 'module', source: outputText, shortCircuit: true };
}
