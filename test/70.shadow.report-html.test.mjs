// `report --html FILE`: one self-contained page (no request of any kind, every log text escaped)
// with divergences over time by kind and the mirror's lag as charts, the top statements and the
// samples; opened in a real headless browser (Debian's chromium) with the network off, it renders
// its charts with no console error.
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import Database from 'swarm-registry-adapter';
import { tempDir } from './helpers/backends.mjs';
import { createTestDatabase, withClient } from './helpers/pg.mjs';
import { cli } from './60.migrate-helpers.mjs';

const CHROMIUM = ['chromium', 'chromium-browser'].find((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0);
const MARKUP = '<script>alert("x")</script>';
const SECRET = 'whsec_marker_html_7f3a';

/** A real shadow-mode log: PostgreSQL changed behind the adapter's back, then compared reads; plus older lines of other kinds. */
async function canaryLog(t) {
  const { url } = await createTestDatabase(t);
  const dir = tempDir(t);
  const log = path.join(dir, 'divergences.jsonl');
  const db = new Database(path.join(dir, 'registry.db'), { backend: 'shadow', primary: 'sqlite', databaseUrl: url, pgSchema: 'canary', shadowSample: 1, divergenceLog: log });
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)');
  db.exec('CREATE TABLE triggers (id TEXT PRIMARY KEY, webhook_secret TEXT)');
  const insert = db.prepare('INSERT INTO t (id, n) VALUES (?, ?)');
  for (let i = 0; i < 10; i++) insert.run(`k${i}`, i);
  db.prepare('INSERT INTO triggers (id, webhook_secret) VALUES (?, ?)').run('trg', SECRET);
  const deadline = Date.now() + 15000;
  while (db.shadowStats().mirrored < 13 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await withClient(url, async (c) => {
    await c.query('UPDATE canary.t SET n = n + 1');
    await c.query("UPDATE canary.triggers SET webhook_secret = 'changed'");
  });
  const select = db.prepare(`SELECT n, '${MARKUP}' AS tag FROM t WHERE id = ?`);
  for (let i = 0; i < 10; i++) select.get(`k${i}`);
  db.prepare('SELECT webhook_secret FROM triggers WHERE id = ?').get('trg');
  while (db.shadowStats().compared < 11 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  db.close();
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const older = [[20, 'row_count', 3], [9, 'error_secondary_only', 2], [4, 'rows', 6], [2, 'order', 1]].flatMap(([hours, kind, n]) =>
    Array.from({ length: n }, (_, i) => ({ ...lines[0], kind, time: new Date(Date.parse(lines[0].time) - hours * 3_600_000 - i * 60_000).toISOString() })));
  fs.writeFileSync(log, [...older, ...lines].map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { url, dir, log, logged: lines.length };
}

test('report --html writes one self-contained page with charts, escaped text and no secret', async (t) => {
  const { url, dir, log, logged } = await canaryLog(t);
  t.true(logged >= 11, 'the canary caught the changed rows');
  const file = path.join(dir, 'report.html');
  const run = await cli(['report', '--log', log, '--html', file], { DATABASE_URL: url, REGISTRY_PG_SCHEMA: 'canary' });
  t.is(run.code, 0, run.stderr);
  t.true(run.stdout.includes(`HTML report written to ${file}.`));
  const html = fs.readFileSync(file, 'utf8');
  t.false(/<script|\b(src|href)\s*=|url\(|@import|https?:\/\//i.test(html), 'no script, no link, no request');
  t.true(html.includes(escapeHtml(MARKUP)), 'text from the log is escaped');
  t.false(html.includes(SECRET), 'the secret appears only as its hash');
  t.false(html.includes('test-password'), 'no password');
  t.is((html.match(/<svg class="chart"/g) ?? []).length, 3, 'divergences, lag and queue charts');
  for (const kind of ['rows', 'row_count', 'error_secondary_only', 'order']) t.true(html.includes(`data-kind="${kind}"`), `a bar of ${kind}`);
  t.regex(html, /<polyline class="line" data-mirror="[^"]+"/, 'the lag history was read from PostgreSQL');
  t.regex(html, /<td>SELECT n, &#39;&lt;script&gt;/, 'top statements listed');
  t.regex(html, /<pre>\{\n  &quot;time&quot;/, 'samples shown');
});

const rendered = CHROMIUM ? test : test.skip;
rendered(`report --html renders its charts in headless chromium with the network off${CHROMIUM ? '' : ' (SKIPPED: no chromium on this machine; .ci/run installs Debian\'s chromium package)'}`, async (t) => {
  const { url, dir, log } = await canaryLog(t);
  const file = path.join(dir, 'report.html');
  t.is((await cli(['report', '--log', log, '--html', file], { DATABASE_URL: url, REGISTRY_PG_SCHEMA: 'canary' })).code, 0);
  const screenshot = path.join(process.env.REPORT_SCREENSHOT_DIR ?? dir, 'report.png');
  const browser = (extra) => spawnSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${path.join(dir, 'chromium')}`,
    // The network off: every connection through a closed proxy, every name unresolvable.
    '--proxy-server=127.0.0.1:9', '--host-resolver-rules=MAP * ~NOTFOUND',
    '--enable-logging=stderr', '--v=0', '--window-size=1000,2200', ...extra, `file://${file}`,
  ], { encoding: 'utf8', timeout: 60000 });
  const shot = browser([`--screenshot=${screenshot}`]);
  t.is(shot.status, 0, shot.stderr);
  const png = fs.readFileSync(screenshot);
  t.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  t.true(png.length > 30_000, `the screenshot holds a drawn page (${png.length} bytes), not a blank one`);
  const dom = browser(['--dump-dom']);
  t.is(dom.status, 0, dom.stderr);
  t.true((dom.stdout.match(/<rect class="bar"/g) ?? []).length >= 5, 'the divergence chart has its bars in the rendered DOM');
  t.regex(dom.stdout, /<polyline class="line"/, 'the lag chart has its line in the rendered DOM');
  const errors = (shot.stderr + dom.stderr).split('\n').filter((line) => /Uncaught|CONSOLE\(|console\.error|Refused to|net::ERR_/i.test(line));
  t.deepEqual(errors, [], 'no console error, no blocked or failed request');
  t.log(`rendered: ${screenshot} (${png.length} bytes)`);
});

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
