// A shadow-mode process says at start which side answers, with either primary, as postgres mode
// does: the line operators look for after a restart. Never with the password.
import test from 'ava';
import sinon from 'sinon';
import { shadowBackend } from './helpers/backends.mjs';

for (const primary of ['sqlite', 'postgres']) {
  const backend = shadowBackend(test, { primary });
  test.serial(`shadow mode with ${primary} answering logs its start-up line once`, async (t) => {
    const saved = process.env.REGISTRY_LOG_LEVEL;
    delete process.env.REGISTRY_LOG_LEVEL;
    const log = sinon.stub(console, 'log');
    let lines;
    try {
      const db = await backend.open(t);
      db.prepare('SELECT 1').get();
      lines = log.args.map((args) => args.join(' ')).filter((line) => line.startsWith('Database initialized (shadow mode'));
    } finally {
      log.restore();
      if (saved !== undefined) process.env.REGISTRY_LOG_LEVEL = saved;
    }
    const [answers, mirrored] = primary === 'sqlite' ? ['SQLite', 'PostgreSQL'] : ['PostgreSQL', 'SQLite'];
    t.is(lines.length, 1, lines.join('\n'));
    t.regex(lines[0], new RegExp(`^Database initialized \\(shadow mode: ${answers} answers, ${mirrored} gets every write\\): \\S+registry\\.db and postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/t_[0-9a-f]+ schema sh\\d+_\\d+$`));
    t.false(lines[0].includes('test-password'));
  });
}
