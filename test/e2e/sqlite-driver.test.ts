/**
 * `vigil serve` without a loadable better-sqlite3 says so in one coded line with the fix, not a stack trace
 * (docs/errors.md). A resolve hook (loaded with `--import`) makes Node resolve `better-sqlite3` from elsewhere:
 * from a directory without it (Node's own "cannot find package"), or to a copy whose native file is not a
 * loadable library (the dlopen failure a module built for another Node ABI also ends in).
 */
import { cpSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, runVigil, tempDir } from '../helpers/vigil-process.js';

const temp = tempDir();
afterAll(() => temp.cleanup());
const real = realpathSync(new URL('../../node_modules/better-sqlite3', import.meta.url).pathname);

/** NODE_OPTIONS that resolve `better-sqlite3` as if imported from `fromDir`. */
function resolvingFrom(fromDir: string): Record<string, string> {
  const hooks = join(temp.dir, `hooks-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(
    hooks,
    `const parentURL = ${JSON.stringify(pathToFileURL(join(fromDir, 'index.mjs')).href)};
export async function resolve(specifier, context, next) {
  return specifier === 'better-sqlite3' ? next(specifier, { ...context, parentURL }) : next(specifier, context);
}
`,
  );
  const register = `${hooks}.register.mjs`;
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return { NODE_OPTIONS: `--import=${pathToFileURL(register).href}` };
}

describe('vigil serve without a loadable SQLite driver', () => {
  it('better-sqlite3 not installed: one line with the code and the fix', async () => {
    const empty = join(temp.dir, 'empty');
    mkdirSync(empty);
    const { code, stderr } = await runVigil(['serve', '--config', E2E_CONFIG, '--database', join(temp.dir, 'a.db')], resolvingFrom(empty));
    expect(stderr).toContain('[sqlite_driver_unavailable]');
    expect(stderr).toContain('is not installed; run: npm rebuild better-sqlite3');
    expect(stderr).not.toContain('    at ');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(3);
  });

  it('a native file that does not load (another ABI, a broken build): one line with the code and the fix', async () => {
    const modules = join(temp.dir, 'broken', 'node_modules');
    const copy = join(modules, 'better-sqlite3');
    mkdirSync(join(copy, 'build', 'Release'), { recursive: true });
    cpSync(join(real, 'package.json'), join(copy, 'package.json'));
    cpSync(join(real, 'lib'), join(copy, 'lib'), { recursive: true });
    writeFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), 'not a shared library');
    for (const dep of ['bindings', 'file-uri-to-path']) symlinkSync(realpathSync(join(real, '..', dep)), join(modules, dep));
    const { code, stderr } = await runVigil(
      ['serve', '--config', E2E_CONFIG, '--database', join(temp.dir, 'b.db')],
      resolvingFrom(join(temp.dir, 'broken')),
    );
    expect(stderr).toContain('[sqlite_driver_unavailable]');
    expect(stderr).toContain(`cannot load for Node.js ${process.version}`);
    expect(stderr).toContain('run: npm rebuild better-sqlite3');
    expect(stderr).not.toContain('    at ');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(3);
  });
});
