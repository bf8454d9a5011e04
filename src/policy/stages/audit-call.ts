import type { AuditLog } from '../../audit/audit-log.js';
import type { Stage } from '../stage.js';

/**
 * First in, last out: every tool call is audited with its outcome code and
 * duration, including calls refused by any stage (B-OPS-02). Arguments and
 * results are never recorded. `record` only buffers; the log writes in batches.
 */
export function auditCallStage(audit: AuditLog): Stage {
  return {
    name: 'audit',
    after(call, outcome) {
      const ctx = call.context;
      const principal = ctx.principal;
      audit.record({
        kind: 'tool_call',
        outcome: outcome.kind === 'error' ? outcome.error.code : outcome.kind === 'input_required' ? 'input_required' : 'ok',
        userId: principal.userId,
        organizationId: ctx.organization?.id ?? null,
        clientId: principal.clientId ?? null,
        credentialId: principal.credentialId,
        tool: call.tool.name,
        durationMs: Math.round((performance.now() - call.startedAt) * 1000) / 1000,
        requestId: ctx.requestId,
      });
      return undefined;
    },
  };
}
