// ES module entry: the same objects as the CommonJS entry, so both module systems share one state.
import adapter from '../dist/index.js';

export default adapter;
export const { Database, SqliteError, TranslationError, ConfigurationError, AsyncDatabase } = adapter;
