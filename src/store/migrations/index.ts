import type { MigrationSet } from '../migrate.js';
import { m0001McpSessions } from './0001-mcp-sessions.js';
import { m0002Identity } from './0002-identity.js';
import { m0003OAuth } from './0003-oauth.js';
import { m0004ApiKeys } from './0004-api-keys.js';
import { m0005PlansAndNotices } from './0005-plans-and-notices.js';
import { m0006ToolPolicy } from './0006-tool-policy.js';

/** Gatehouse's own schema, in order. Names sort lexically; never rename one that shipped. */
export const gatehouseMigrations: MigrationSet = {
  table: 'gatehouse_migrations',
  migrations: {
    '0001-mcp-sessions': m0001McpSessions,
    '0002-identity': m0002Identity,
    '0003-oauth': m0003OAuth,
    '0004-api-keys': m0004ApiKeys,
    '0005-plans-and-notices': m0005PlansAndNotices,
    '0006-tool-policy': m0006ToolPolicy,
  },
};
