import { GatehouseError } from '../../errors/gatehouse-error.js';
import { ask, inputRequired, readElicitation } from '../../tools/input-required.js';
import type { PolicyOptions } from '../policy-options.js';
import type { Stage, ToolCall } from '../stage.js';

/** The key of Gatehouse's own confirmation question among a call's input requests. */
export const CONFIRM_REQUEST = 'gatehouse_confirm';

function summaryOf(call: ToolCall): string {
  const destructive = call.tool.definition.destructive;
  const input = (call.input ?? {}) as Readonly<Record<string, unknown>>;
  if (typeof destructive === 'object') return destructive.summary(input);
  const def = call.tool.definition;
  const args = Object.keys(input).length === 0 ? '' : ` with ${JSON.stringify(input)}`;
  return `Run ${def.title ?? def.name}${args}. This cannot be undone.`;
}

function required(summary: string, message: string): GatehouseError {
  return new GatehouseError('confirmation_required', { message, details: { summary } });
}

/**
 * Destructive tools run only once the user agreed (B-POL-01), checked after
 * validation (the summary describes the real input) and before anything is
 * spent or run. When the client can show the user a form, the `ask-user`
 * modes ask the user directly and ignore `confirm: true`, so a model cannot
 * confirm on the user's behalf.
 */
export function confirmDestructiveStage(mode: PolicyOptions['confirmation']): Stage {
  return {
    name: 'confirm-destructive',
    before(call) {
      const destructive = call.tool.definition.destructive;
      if (destructive === undefined || destructive === false) return undefined;
      const summary = summaryOf(call);
      const askUser = mode !== 'argument' && call.context.canAskUser;
      if (!askUser) {
        if (mode === 'ask-user-only') {
          return required(summary, 'This tool needs the user to confirm it, and this client cannot show them a confirmation (form elicitation). Use a client that supports it.');
        }
        if (call.confirm) return undefined;
        return required(summary, `Nothing was changed. Show the user this summary and ask; only if they agree, call again with the same arguments and confirm: true. ${summary}`);
      }
      const answer = readElicitation(call.context.inputResponses[CONFIRM_REQUEST]);
      if (answer === undefined) {
        return {
          kind: 'input_required',
          request: inputRequired({
            inputRequests: {
              [CONFIRM_REQUEST]: ask.form(`${summary}\n\nDo you want to go ahead?`, {
                type: 'object',
                properties: { confirm: { type: 'boolean', title: 'Yes, go ahead', default: false } },
                required: ['confirm'],
              }),
            },
          }),
        };
      }
      if (answer.action === 'accept' && answer.content?.confirm === true) return undefined;
      return required(summary, `The user did not confirm, so nothing was changed. ${summary}`);
    },
  };
}
