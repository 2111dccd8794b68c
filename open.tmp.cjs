const Database = require('./dist/index.js');
const os = require('os'), path = require('path'), fs = require('fs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'o-'));
const mode = process.argv[2];
const N = 20;
const u0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const opts = mode === 'shadow-postgres' ? { backend: 'shadow', primary: 'postgres' } : mode === 'shadow-sqlite' ? { backend: 'shadow', primary: 'sqlite' } : { backend: mode };
  const db = new Database(path.join(dir, `r${i}.db`), { ...opts, databaseUrl: process.env.U, pgSchema: `o${process.pid}_${i}`, divergenceLog: path.join(dir, `d${i}.jsonl`) });
  db.exec('CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, n INTEGER)');
  db.prepare('INSERT INTO t VALUES (?, ?)').run('a', 1);
  db.prepare('SELECT * FROM t').all();
  db.close();
}
const u = process.cpuUsage(u0);
console.log(mode, 'per open+close:', ((performance.now() - t0) / N).toFixed(0), 'ms wall', ((u.user + u.system) / 1000 / N).toFixed(0), 'ms cpu (process, all threads)');
