import type { Principal } from '../auth/principal.js';
import type { Logger } from '../log/logger.js';
import type { Era, Exchange } from '../protocol/exchange.js';
import type { JsonRpcNotification, RequestId } from '../protocol/jsonrpc.js';
import type { LegacySession } from '../protocol/legacy-session.js';
import type { InputRequest } from '../tools/input-required.js';
import type { ClientDescription, LogLevel, OrganizationRef } from '../tools/tool-context.js';
import type { InboundRequest } from './http-message.js';

export type ExchangeFields = Omit<Exchange, 'signal'>;

/**
 * One /mcp request as the protocol core sees it. A class so the abort signal
 * can be a prototype getter: it is read lazily (creating it is costly and most
 * calls never look), and an object literal with a getter would cost a fresh
 * hidden class per request.
 */
export class HttpExchange implements Exchange {
  readonly era: Era;
  readonly protocolVersion: string;
  readonly rpcId: RequestId;
  readonly requestId: string;
  readonly principal: Principal;
  readonly organization: OrganizationRef | null;
  readonly logger: Logger;
  readonly client: ClientDescription;
  readonly logLevel: LogLevel | undefined;
  readonly progressToken: string | number | undefined;
  readonly session: LegacySession | undefined;
  readonly idempotencyKey: string | undefined;
  readonly emit: (notification: JsonRpcNotification) => void;
  readonly askClient: ((requests: Readonly<Record<string, InputRequest>>) => Promise<Record<string, unknown>>) | undefined;

  constructor(
    fields: ExchangeFields,
    private readonly request: InboundRequest,
  ) {
    this.era = fields.era;
    this.protocolVersion = fields.protocolVersion;
    this.rpcId = fields.rpcId;
    this.requestId = fields.requestId;
    this.principal = fields.principal;
    this.organization = fields.organization;
    this.logger = fields.logger;
    this.client = fields.client;
    this.logLevel = fields.logLevel;
    this.progressToken = fields.progressToken;
    this.session = fields.session;
    this.idempotencyKey = fields.idempotencyKey;
    this.emit = fields.emit;
    this.askClient = fields.askClient;
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }
}
