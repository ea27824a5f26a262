import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { connect, DatabaseUnavailableError, type Database } from '../db/client.js';
import { DataDirBusyError } from '../db/lock.js';
import { runMigrations } from '../db/migrate.js';
import { seed } from '../db/seed.js';
import { ROLES, type Role } from '../db/schema.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { geocodingLevelUriOf, geocodingUriOf } from '../domain/region.js';
import { createOrganization, listOrganizations } from '../catalog/organizations.js';
import { createUser } from '../catalog/users.js';
import { setMember } from '../catalog/members.js';
import { createToken } from '../catalog/tokens.js';
import { HARVEST_USAGE, harvestCommands } from '../harvest/cli.js';

/** `catalog <command>`: administration on the same configuration and database as the server. */

const USAGE = `Usage: catalog <command>

  migrate                                        apply pending database migrations
  org list                                       list organizations
  org create NAME --title T [--ags KEY] [--description D] [--homepage URL] [--email E]
  user create NAME --email E [--fullname F] [--sysadmin]
  user add-member NAME --org ORG --role admin|editor|member
  token create NAME [--label L]                  print a new API token for user NAME (shown once)
${HARVEST_USAGE}`;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(line + '\n');

type Command = (db: Database, config: Config, args: string[]) => Promise<void>;

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.positionals.length !== positionals) throw new UsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

const actor = systemActor('cli');

const commands: Record<string, Command> = {
  async migrate() {
    out('migrations applied');
  },

  async 'org list'(db) {
    for (const o of await listOrganizations(db.db)) out(`${o.name}\t${o.title}\t${o.ags ?? ''}`);
  },

  async 'org create'(db, _config, args) {
    const { values, positionals } = parse(
      args,
      { title: { type: 'string' }, ags: { type: 'string' }, description: { type: 'string' }, homepage: { type: 'string' }, email: { type: 'string' } },
      1,
    );
    const ags = values.ags as string | undefined;
    if (ags !== undefined && !/^(\d{5}|\d{8})$/.test(ags)) throw new UsageError('--ags must be a district key (5 digits) or an Amtlicher Gemeindeschlüssel (8 digits)');
    const level = ags?.length === 5 ? 'administrativeDistrict' : 'municipality';
    const org = await createOrganization(db.db, actor, {
      name: positionals[0],
      title: required(values, 'title'),
      description: (values.description as string | undefined) ?? '',
      homepage: (values.homepage as string | undefined) ?? null,
      email: (values.email as string | undefined) ?? null,
      ...(ags ? { ags, politicalGeocodingUri: geocodingUriOf({ key: ags, level }), politicalGeocodingLevelUri: geocodingLevelUriOf({ level }) } : {}),
    });
    out(`created organization ${org.name} (${org.id})`);
  },

  async 'user create'(db, _config, args) {
    const { values, positionals } = parse(args, { email: { type: 'string' }, fullname: { type: 'string' }, sysadmin: { type: 'boolean' } }, 1);
    const user = await createUser(db.db, actor, {
      name: positionals[0],
      email: required(values, 'email'),
      fullname: (values.fullname as string | undefined) ?? null,
      sysadmin: values.sysadmin === true,
    });
    out(`created user ${user.name} (${user.id})${user.sysadmin ? ' as sysadmin' : ''}`);
  },

  async 'user add-member'(db, _config, args) {
    const { values, positionals } = parse(args, { org: { type: 'string' }, role: { type: 'string' } }, 1);
    const role = required(values, 'role');
    if (!ROLES.includes(role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const m = await setMember(db.db, actor, required(values, 'org'), positionals[0], role as Role);
    out(`${positionals[0]} is now ${m.role} of ${required(values, 'org')}`);
  },

  async 'token create'(db, _config, args) {
    const { values, positionals } = parse(args, { label: { type: 'string' } }, 1);
    const t = await createToken(db.db, actor, (values.label as string | undefined) ?? 'cli', positionals[0]);
    // The only time the token is ever shown: stdout carries nothing else, so it can be captured.
    out(t.token);
  },

  ...harvestCommands(out, (message) => new UsageError(message)),
};

async function main(argv: string[]): Promise<number> {
  const key2 = argv.slice(0, 2).join(' ');
  const [name, rest] = commands[key2] ? [key2, argv.slice(2)] : [argv[0] ?? '', argv.slice(1)];
  const command = commands[name] as Command | undefined;
  const help = argv[0] === 'help' || argv[0] === '--help';
  if (!command || help) {
    process.stderr.write(USAGE);
    return help ? 0 : 2;
  }
  const config = loadConfig();
  const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, attempts: 3 });
  try {
    await runMigrations(database, config.databaseUrl);
    await seed(database.db, config);
    await command(database, config, rest);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`catalog: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const known = err instanceof AppError || err instanceof ConfigError || err instanceof DataDirBusyError || err instanceof DatabaseUnavailableError;
    process.stderr.write(`catalog: ${known ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
