// Runs the swarm-registry CLI as a child process, as an operator would.
import path from 'node:path';
import { execFile, spawn } from 'node:child_process';

const BIN = path.resolve('bin/swarm-registry.js');

export function cli(args, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr, json: args.includes('--json') && stdout ? JSON.parse(stdout) : undefined });
    });
  });
}


export function spawnCli(args, env) {
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
}
