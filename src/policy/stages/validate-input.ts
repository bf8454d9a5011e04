import type { Stage } from '../stage.js';

/** Validates the arguments against the tool's input schema; failures name the field (`invalid_input`). */
export const validateInputStage: Stage = {
  name: 'validate-input',
  before(call) {
    const checked = call.tool.validateInput(call.arguments);
    if (!checked.ok) return checked.error;
    call.input = checked.value;
    return undefined;
  },
};
