/** `vigil token create | list | revoke`: access tokens on a database (docs/access.md, docs/cli.md ("vigil token create")). */
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { toInstantOrNull } from '../../api/common.js';
import { createToken, revokeToken } from '../../app/tokens.js';
import { isScope, SCOPES, type Scope, type StoredToken } from '../../model/token.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { table } from '../format.js';
import { action, resolveDatabase } from '../shared.js';

const DATABASE_OPTION: [string, string] = [
  '-d, --database <location>',
  'SQLite file or postgres:// URL (default: $VIGIL_DATABASE_URL or ./vigil.db)',
];

/** Collects repeated --scope values, each one of SCOPES. */
function collectScope(value: string, previous: Scope[] | undefined): Scope[] {
  if (!isScope(value)) throw new InvalidArgumentError(`expected one of ${SCOPES.join(', ')}`);
  return [...(previous ?? []), value];
}

async function withStore<T>(database: string | undefined, readOnly: boolean, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(resolveDatabase(database), { readOnly });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const time = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** What `vigil token list --json` prints of a token: everything but its hash. */
function tokenJson(token: StoredToken): Record<string, unknown> {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: toInstantOrNull(token.createdAt),
    lastUsedAt: toInstantOrNull(token.lastUsedAt),
    revokedAt: toInstantOrNull(token.revokedAt),
  };
}

/** `vigil token create --name <name> --scope <scope>…` */
export function tokenCreateCommand(): Command {
  return new Command('create')
    .description('create an access token; prints it once')
    .requiredOption('--name <name>', 'who holds it, recorded as the actor of what it does (unique among active tokens)')
    .requiredOption('--scope <scope>', `a scope it grants, repeatable: ${SCOPES.join(', ')}`, collectScope)
    .option(...DATABASE_OPTION)
    .action(
      action(async (opts: { name: string; scope: Scope[]; database?: string }) => {
        const { token, stored } = await withStore(opts.database, false, (store) =>
          createToken(store.tokens, opts.name, opts.scope, Date.now()),
        );
        process.stdout.write(
          `${pc.green('✓')} token '${stored.name}' (id ${stored.id}) with scopes ${stored.scopes.join(', ')}\n\n` +
            `${token}\n\n` +
            'This is the only time it is shown: store it in a secret store now. Use it as\n' +
            `  Authorization: Bearer ${token.slice(0, 19)}…\n` +
            `  e.g. curl -H "Authorization: Bearer $VIGIL_TOKEN" http://127.0.0.1:8080/api/v1/journeys\n` +
            '  or VIGIL_TOKEN=… vigil incidents --server <url>. Alertmanager and Grafana: see docs/access.md.\n',
        );
      }),
    );
}

/** `vigil token list` */
export function tokenListCommand(): Command {
  return new Command('list')
    .description('list access tokens (never their secret)')
    .option(...DATABASE_OPTION)
    .option('--json', 'print the tokens as JSON')
    .action(
      action(async (opts: { database?: string; json?: boolean }) => {
        // Reading never writes: the store is opened read-only.
        const tokens = await withStore(opts.database, true, (store) => store.tokens.listTokens());
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(tokens.map(tokenJson), null, 2)}\n`);
          return;
        }
        if (tokens.length === 0) {
          process.stdout.write(`No tokens: a server on this database is open on loopback only (docs/access.md).\n`);
          return;
        }
        const rows = tokens.map((t) => [
          t.name,
          t.id,
          t.scopes.join(','),
          time(t.createdAt),
          time(t.lastUsedAt),
          t.revokedAt === null ? pc.green('active') : pc.dim(`revoked ${time(t.revokedAt)}`),
        ]);
        process.stdout.write(`${table(['NAME', 'ID', 'SCOPES', 'CREATED (UTC)', 'LAST USED (UTC)', 'STATE'], rows)}\n`);
      }),
    );
}

/** `vigil token revoke <name|id>` */
export function tokenRevokeCommand(): Command {
  return new Command('revoke')
    .description('revoke an active token by name or id (a running server stops accepting it within 5 s)')
    .argument('<name|id>', 'the token to revoke')
    .option(...DATABASE_OPTION)
    .action(
      action(async (nameOrId: string, opts: { database?: string }) => {
        const revoked = await withStore(opts.database, false, (store) => revokeToken(store.tokens, nameOrId, Date.now()));
        process.stdout.write(`${pc.green('✓')} revoked token '${revoked.name}' (id ${revoked.id})\n`);
      }),
    );
}

/** `vigil token`: the group. */
export function tokenCommand(): Command {
  return new Command('token')
    .description('create, list and revoke access tokens (docs/access.md)')
    .addCommand(tokenCreateCommand())
    .addCommand(tokenListCommand())
    .addCommand(tokenRevokeCommand());
}
