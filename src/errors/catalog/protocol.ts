import type { ErrorDefinition } from '../definition.js';

/** Layer 2: JSON-RPC errors, answered with HTTP 200 (or the status the MCP transport requires). */
export const protocolErrors = {
  parse_error: {
    family: 'protocol',
    layers: ['jsonrpc'],
    http: 400,
    jsonrpc: -32700,
    retryable: false,
    message: 'Parse error: the body is not valid JSON.',
    doc: {
      meaning: 'The request body could not be parsed as JSON, so no JSON-RPC message was read and the `id` is `null`.',
      cause: 'Truncated or hand-written JSON, a trailing comma, or a body that is not JSON at all.',
      fix: 'Send one JSON-RPC 2.0 message (or notification) as a valid JSON object.',
    },
    example: {},
  },
  invalid_request: {
    family: 'protocol',
    layers: ['jsonrpc', 'oauth'],
    http: 400,
    jsonrpc: -32600,
    retryable: false,
    message: 'Invalid Request: not a valid JSON-RPC 2.0 message.',
    doc: {
      meaning: 'The JSON is well formed but is not a valid JSON-RPC 2.0 request, or (at the OAuth endpoints) the OAuth request is malformed.',
      cause: '`jsonrpc` missing or not `"2.0"`, `method` missing or not a string, an `id` that is neither a string nor a number, a JSON-RPC batch (MCP does not allow batches), or a registration/token request with a malformed body.',
      fix: 'Send `{"jsonrpc": "2.0", "id": 1, "method": "…", "params": {…}}`; at the OAuth endpoints, send the fields the endpoint documents.',
    },
    example: { field: 'jsonrpc' },
  },
  method_not_found: {
    family: 'protocol',
    layers: ['jsonrpc'],
    http: 404,
    jsonrpc: -32601,
    retryable: false,
    message: 'Method not found.',
    doc: {
      meaning: 'The JSON-RPC `method` is not an MCP method this server serves; the message names it.',
      cause: 'A typo, a method from another protocol revision, or a capability the server does not offer (for example `sampling/createMessage` sent to a server).',
      fix: 'Call a method listed in the server capabilities: `tools/list`, `tools/call`, `resources/list`, `resources/read`, `prompts/list`, `prompts/get`, `completion/complete`, `ping`…',
    },
    example: { method: 'some/unknown' },
  },
  invalid_params: {
    family: 'protocol',
    layers: ['jsonrpc'],
    http: 400,
    jsonrpc: -32602,
    retryable: false,
    message: 'Invalid params.',
    doc: {
      meaning: 'The method exists but its `params` are unusable before any tool runs.',
      cause: 'An unknown tool (`Unknown tool: NAME`), an unknown prompt, `params.name` missing, or `arguments` that is not a JSON object.',
      fix: 'Call `tools/list` for the exact tool names and pass `arguments` as an object.',
    },
    example: { field: 'name' },
  },
  resource_not_found: {
    family: 'protocol',
    layers: ['jsonrpc'],
    http: 404,
    jsonrpc: -32602,
    retryable: false,
    message: 'Resource not found.',
    doc: {
      meaning: 'No resource exists at the requested URI (or it belongs to another tenant, which reads the same).',
      cause: 'A stale or mistyped URI, or a URI from another organization.',
      fix: 'Call `resources/list` or `resources/templates/list` for valid URIs.',
    },
    example: { uri: 'mailroom://campaigns/cmp_unknown' },
  },
  missing_client_capability: {
    family: 'protocol',
    layers: ['jsonrpc'],
    http: 400,
    jsonrpc: -32021,
    retryable: false,
    message: 'The request needs a client capability that was not declared.',
    doc: {
      meaning: 'Answering needs the client to do something (answer an elicitation, sample, list roots) that its declared capabilities do not include.',
      cause: 'A client that did not declare `elicitation`, `sampling` or `roots` calling a tool that needs it.',
      fix: 'Declare the capability in the request `_meta` (2026-07-28) or at initialize (2025-11-25), or call a tool that does not need it.',
    },
    example: { required_capabilities: ['elicitation'] },
  },
} as const satisfies Record<string, ErrorDefinition>;
