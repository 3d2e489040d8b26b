import { parseArgs } from 'node:util';
import { ROLES, PASSWORD_MIN, type Role } from '../../shared/api/auth.js';
import { resolve } from 'node:path';
import { isPostgresUrl, openStore } from '../store/open-store.js';
import { BackupError, backupSqlite, restoreSqlite, type BackupFigures } from '../store/sqlite/backup.js';
import { hashPassword } from '../security/password.js';
import { normalizeEmail } from '../sessions/session-service.js';
import { cleanDisplayText } from '../../shared/text/display-text.js';

const USAGE = `Usage: npm run admin -- <command> [--db <file> | --db postgres://user@host:port/db] [options]
  create-user --email <e> --name <n> --role admin|manager|accountant --workspace <firm name> [--password <p> | --password-stdin]
      Creates the user (and the workspace if it does not exist yet).
  reset-password --email <e> [--password <p> | --password-stdin]
      Sets a new password. The user's sessions are not touched; revoke them from the app if needed.
  list-users
      Lists every user with workspace, role and whether disabled.
  backup <file>
      SQLite: copies the database to the new file <file> (mode 0600) while servers keep running, and checks the copy.
      PostgreSQL: use pg_dump (docs/deploy.md).
  restore <file>
      SQLite: puts the backup <file> in place of the database, which no server may be using; the database it
      replaces is kept beside it as <db>.before-restore-<time>. PostgreSQL: use pg_restore (docs/deploy.md).
--db defaults to TAB_DB or ./data/tab.sqlite. Prefer --password-stdin: a --password ends up in shell history.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return;
  }
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: {
        db: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        workspace: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  const location = values.db ?? process.env.TAB_DB ?? './data/tab.sqlite';
  if (command === 'backup' || command === 'restore') {
    await backupOrRestore(command, location, positionals);
    return;
  }
  if (positionals.length > 0) fail(`Unexpected argument "${positionals[0]}".\n${USAGE}`);
  const store = await openStore(location);
  const password = async () => {
    const value = values['password-stdin'] ? await readStdin() : values.password;
    if (!value) fail('Give a password with --password-stdin (or --password).');
    if (value.length < PASSWORD_MIN) fail(`The password must be at least ${PASSWORD_MIN} characters.`);
    return value;
  };
  try {
    switch (command) {
      case 'create-user': {
        const { email, name, role, workspace } = values;
        if (!email || !name || !role || !workspace) fail(`create-user needs --email, --name, --role and --workspace.\n${USAGE}`);
        if (!(ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${ROLES.join(', ')}.`);
        if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) fail(`"${email}" does not look like an email address.`);
        // A name is shown beside other people's: one clean line (no control or bidi characters).
        const shownName = cleanDisplayText(name, 200);
        if (!shownName) fail('--name must not be blank.');
        if (await store.findUserByEmail(normalizeEmail(email))) fail(`A user with the email ${email} exists already.`);
        const now = Date.now();
        const ws = (await store.findWorkspaceByName(workspace)) ?? (await store.createWorkspace({ name: workspace, now }));
        const user = await store.createUser({ workspaceId: ws.id, email: normalizeEmail(email), name: shownName, role: role as Role, passwordHash: await hashPassword(await password()), now });
        console.log(`Created ${user.email} (${user.role}) in "${ws.name}".`);
        break;
      }
      case 'reset-password': {
        if (!values.email) fail('reset-password needs --email.');
        const user = await store.findUserByEmail(normalizeEmail(values.email));
        if (!user) fail(`No user has the email ${values.email}.`);
        await store.setPasswordHash(user.id, await hashPassword(await password()), {
          workspaceId: user.workspaceId,
          type: 'password_changed',
          at: Date.now(),
          targetUserId: user.id,
          detail: { via: 'admin_cli' },
        });
        console.log(`Password of ${user.email} reset.`);
        break;
      }
      case 'list-users': {
        const workspaces = new Map((await store.listWorkspaces()).map((w) => [w.id, w.name]));
        const users = await store.listUsers();
        if (users.length === 0) console.log('No users yet. Create one with: npm run admin -- create-user …');
        for (const u of users) {
          console.log([u.email.padEnd(28), u.role.padEnd(11), (workspaces.get(u.workspaceId) ?? '?').padEnd(20), u.disabledAt ? 'disabled' : 'active'].join(' '));
        }
        break;
      }
      default:
        fail(`Unknown command "${command}".\n${USAGE}`);
    }
  } finally {
    await store.close();
  }
}

/** Backups never open the store: opening migrates, and a backup copies the database as it is. */
async function backupOrRestore(command: 'backup' | 'restore', location: string, positionals: string[]): Promise<void> {
  if (positionals.length !== 1) fail(`${command} needs exactly one file: npm run admin -- ${command} <file> [--db <database>]`);
  if (isPostgresUrl(location)) {
    fail(
      command === 'backup'
        ? 'This database is PostgreSQL: back it up with pg_dump, e.g.\n  pg_dump --format=custom --file=tab-$(date +%F).dump "$TAB_DB"\n(docs/deploy.md, "Backups").'
        : 'This database is PostgreSQL: restore a pg_dump file with pg_restore, with every server stopped, e.g.\n' +
            '  pg_restore --clean --if-exists --no-owner --dbname="$TAB_DB" tab.dump\n(docs/deploy.md, "Backups").',
    );
  }
  const file = resolve(positionals[0]!);
  const db = resolve(location);
  const size = (f: BackupFigures) => `${(f.bytes / 2 ** 20).toFixed(1)} MB, schema version ${f.schemaVersion}, ${(f.ms / 1000).toFixed(1)} s`;
  try {
    if (command === 'backup') {
      const done = await backupSqlite(db, file);
      console.log(`Backed up ${db} to ${done.file} (${size(done)}); integrity check ok.`);
    } else {
      const done = await restoreSqlite(file, db);
      console.log(`Restored ${file} into ${db} (${size(done)}); integrity check ok.`);
      if (done.replacedKeptAt) console.log(`The database it replaced is kept as ${done.replacedKeptAt}: delete it once the restored one is checked.`);
    }
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`tab admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
