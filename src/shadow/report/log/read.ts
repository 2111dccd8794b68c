/**
 * Reads the divergence log and its rotated files, oldest first, as parsed records. A line that is
 * not a JSON object with a time and a kind is counted and skipped: a log cut by a crash or a full
 * disk must still be reportable. A file that exists but cannot be read is an error.
 */
import fs from 'node:fs';
import { rotatedPaths } from '../../shared';

/** Rotated files looked for beside the log (more than DivergenceLog ever keeps by default). */
const MAX_ROTATED = 20;

export interface LoggedRecord {
  time: string;
  kind: string;
  fingerprint?: string;
  [field: string]: unknown;
}

export interface LogContents {
  /** The files read, oldest first. */
  files: string[];
  records: LoggedRecord[];
  malformedLines: number;
}

export class LogReadError extends Error {
  override name = 'LogReadError';
}

/** Null when neither the log nor a rotated file exists. */
export function readDivergenceLog(log: string): LogContents | null {
  const files = [...rotatedPaths(log, MAX_ROTATED).reverse(), log].filter(exists);
  if (files.length === 0) return null;
  const records: LoggedRecord[] = [];
  let malformedLines = 0;
  for (const file of files) {
    for (const line of readText(file).split('\n')) {
      if (line.trim() === '') continue;
      const record = parseLine(line);
      if (record) records.push(record);
      else malformedLines++;
    }
  }
  return { files, records, malformedLines };
}

function parseLine(line: string): LoggedRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    if (typeof record.kind !== 'string' || typeof record.time !== 'string' || Number.isNaN(Date.parse(record.time))) return undefined;
    return record as LoggedRecord;
  } catch {
    return undefined;
  }
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw new LogReadError(`Cannot read the divergence log ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path and its permissions.`);
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const what = code === 'EISDIR' ? 'it is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new LogReadError(`Cannot read the divergence log ${file} (${what}): pass the log file with --log, or fix its permissions.`);
  }
}
