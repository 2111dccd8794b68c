import { startEmbeddedPostgres } from './test/helpers/embedded-server.mjs';
const e = await startEmbeddedPostgres();
console.log(e.url);
process.on('SIGTERM', async () => { await e.stop(); process.exit(0); });
setInterval(() => {}, 1e9);
