/** Gatehouse public API. Everything a product needs is exported here by name. */
export { createGatehouse, type Gatehouse } from './server/create-gatehouse.js';
export type { GatehouseOptions, ServerOptions } from './server/options.js';

export { defineTool, type ToolDefinition, type ToolAnnotations, type JsonSchemaObject, type ToolReturn } from './tools/define-tool.js';
export { defineAddonTool } from './tools/define-addon-tool.js';
export { definePrompt, type PromptDefinition, type PromptArgument, type PromptMessage, type PromptResult, type Completer } from './tools/define-prompt.js';
export {
  defineResource,
  defineResourceTemplate,
  type ResourceDefinition,
  type ResourceTemplateDefinition,
  type ResourceInfo,
  type CacheHint,
} from './tools/define-resource.js';
export type { ToolContext, RequestContext, LogLevel, ClientCapabilities, OrganizationRef } from './tools/tool-context.js';
export { toolResult, type ToolResult } from './tools/tool-result.js';
export { text, image, audio, embeddedResource, resourceLink, type ContentBlock, type ResourceContents } from './tools/content.js';
export { inputRequired, ask, readElicitation, readSampling, readRoots, type InputRequest, type InputRequired } from './tools/input-required.js';

export { fail, GatehouseError } from './errors/gatehouse-error.js';
export { errorCatalog, type ErrorCode } from './errors/catalog.js';
export { ConfigurationError } from './errors/configuration-error.js';
export type { ErrorBody } from './errors/error-body.js';

export type { Principal } from './auth/principal.js';
export type { Logger } from './log/logger.js';
export { createLogger, type LoggerOptions } from './log/create-logger.js';
export { openDatabase, type Database } from './store/database.js';
export { migrateToLatest, type MigrationSet } from './store/migrate.js';
export type { StoreConfig } from './store/store-config.js';

export type { AddonHub, AddonConnectionInfo } from './addons/addon-hub.js';
export type { AddonHubOptions } from './addons/addon-hub-options.js';
export { ADDON_CLOSE, ADDON_ERROR_CODES, type AddonMessage, type ServerMessage } from './addons/addon-messages.js';

export { auditKinds, discardAudit, type AuditEntry, type AuditKind, type AuditLog } from './audit/audit-log.js';
export type { AuditOptions } from './audit/audit-options.js';
export { SqlAuditLog, type SqlAuditLogOptions } from './audit/sql-audit-log.js';
export { AuditQuery, type AuditFilter, type AuditPage, type AuditPageOptions, type AuditRecord } from './audit/audit-query.js';
