/** `swarm-registry init [--print] [--json]` */
import type { Command } from 'commander';
import { registryDdl } from '../../schema';
import { readSettings } from '../../migrate/core';
import { action, type CommandOutcome, type InitJson, type InitPrintJson } from '../output';

interface InitFlags {
  print?: boolean;
  backup?: boolean;
  json?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Check and back up REGISTRY_DB, then create the engine_registry schema in DATABASE_URL (idempotent).')
    .option('--print', 'print the DDL without connecting to anything')
    .option('--no-backup', 'create the schema without backing up REGISTRY_DB (an engine that starts on PostgreSQL with no SQLite registry)')
    .option('--json', 'print one JSON document')
    .action(action(async (flags: InitFlags): Promise<CommandOutcome<InitJson | InitPrintJson>> => {
      const settings = readSettings(process.env, !flags.print);
      if (flags.print) {
        const statements = registryDdl(settings.pgSchema);
        return { document: { ok: true, schema: settings.pgSchema, statements }, human: statements.map((s) => `${s};`).join('\n\n') };
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runInit } = require('../../migrate/init') as typeof import('../../migrate/init');
      const result = await runInit({ ...settings, noBackup: flags.backup === false });
      const backup = result.backup === null
        ? 'No backup taken (--no-backup).'
        : result.backupReused
          ? `${settings.registryDb} has not changed since its backup ${result.backup}: kept that one.`
          : `Backed up ${settings.registryDb} to ${result.backup}.`;
      return {
        document: { ok: true, ...result },
        human: `${backup}\nSchema ${result.schema} is ready with ${result.tables.length} tables: ${result.tables.join(', ')}.`,
      };
    }));
}
