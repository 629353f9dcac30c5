import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { CAP_IMPORT_MAX_BYTES, importCapMessage } from '../../modules/cap/cap.service.ts';
import { configOrExit } from '../main.ts';
import { openAppDatabaseOrExit } from '../open-failure.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Imports one CAP file; 0 when imported, 1 when refused (coded reason on stderr), 2 for an unreadable file. */
async function runCapImport(file: string): Promise<number> {
  let xml: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    if (stat.size > CAP_IMPORT_MAX_BYTES) {
      process.stderr.write(
        `haven: cap import refused: the file is larger than ${fmt(CAP_IMPORT_MAX_BYTES)} bytes [cap.too_large]\n`,
      );
      return 1;
    }
    xml = readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`haven: cannot read ${file}: no such file\n`);
    return 2;
  }
  const config = configOrExit();
  const database = await openAppDatabaseOrExit(config);
  try {
    const incident = await importCapMessage(database, xml, { via: 'cli' });
    const usable = incident.areas.length - incident.rejectedAreas;
    const lines = [
      `incident ${incident.id} imported (CAP ${incident.capVersion}, ${incident.status}, ${incident.msgType})`,
      `  from       ${incident.source.sender} ${incident.source.identifier} sent ${incident.source.sent}`,
      `  event      ${incident.event} (${incident.severity}, ${incident.urgency}, ${incident.certainty})`,
      ...incident.headlines.map((h) => `  headline   [${h.language}] ${h.headline ?? '-'}`),
      `  areas      ${usable} usable, ${incident.rejectedAreas} left out`,
      ...incident.areas.filter((a) => a.error).map((a) => `    left out: ${a.areaDesc} [${a.error?.code}]`),
      `  reaches    ${incident.preview ? `${fmt(incident.preview.total)} registered people now` : 'nobody: no usable area'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`haven: cap import refused: ${err.message} [${err.code}]\n`);
      return 1;
    }
    process.stderr.write(`haven: cap import failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await database.destroy();
  }
}

export function registerCapCommand(program: Command): void {
  const command = program.command('cap').description('Common Alerting Protocol (CAP) messages');
  command
    .command('import')
    .description(
      'Import a CAP 1.1 or 1.2 message from a host-country warning agency as an incident, with its areas and a proposed target. ' +
        'DTDs and entities are refused and nothing is fetched. Exit code 0 when imported, 1 when refused (duplicate, invalid), 2 for bad usage.',
    )
    .argument('<file>', 'the CAP XML file')
    .action(async (file: string) => {
      process.exitCode = await runCapImport(file);
    });
}
