import { z } from 'zod';
import { ask, defineTool, inputRequired, readElicitation, readRoots, readSampling, text, toolResult, type ToolDefinition } from '../../src/index.js';

const nameForm = ask.form('What is your name?', { type: 'object', properties: { name: { type: 'string', description: 'Your name' } }, required: ['name'] });
const capitalQuestion = ask.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 });
const done = (message: string) => toolResult({ content: [text(message)] });

/**
 * Tools that need input from the user. Written once in the multi round-trip
 * style; Gatehouse serves them as `input_required` results under 2026-07-28
 * and as real sampling/elicitation requests in 2025-11-25 sessions.
 */
export const inputTools: ToolDefinition[] = [
  defineTool({
    name: 'test_sampling',
    description: 'Asks the client to sample an LLM completion.',
    input: z.object({ prompt: z.string().describe('The prompt to sample') }),
    handler: ({ prompt }, ctx) => {
      const answer = readSampling(ctx.inputResponses.completion);
      if (answer === undefined) {
        return inputRequired({ inputRequests: { completion: ask.sample({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 }) } });
      }
      const reply = typeof answer.content.text === 'string' ? answer.content.text : JSON.stringify(answer.content);
      return done(`LLM response: ${reply}`);
    },
  }),
  defineTool({
    name: 'test_elicitation',
    description: 'Asks the user for their username and email.',
    input: z.object({ message: z.string().describe('What to ask') }),
    handler: ({ message }, ctx) => {
      const answer = readElicitation(ctx.inputResponses.user_info);
      if (answer === undefined) {
        const schema = { type: 'object', properties: { username: { type: 'string', description: 'User name' }, email: { type: 'string', description: 'Email address' } }, required: ['username', 'email'] };
        return inputRequired({ inputRequests: { user_info: ask.form(message, schema) } });
      }
      return done(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicits a form whose fields carry default values.',
    handler: (_input, ctx) => {
      const answer = readElicitation(ctx.inputResponses.defaults);
      if (answer !== undefined) return done(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
      return inputRequired({
        inputRequests: {
          defaults: ask.form('Please review and update the form fields with defaults', {
            type: 'object',
            properties: {
              name: { type: 'string', description: 'User name', default: 'John Doe' },
              age: { type: 'integer', description: 'User age', default: 30 },
              score: { type: 'number', description: 'User score', default: 95.5 },
              status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
              verified: { type: 'boolean', description: 'Verification status', default: true },
            },
            required: [],
          }),
        },
      });
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicits a form with every kind of enum field.',
    handler: (_input, ctx) => {
      const answer = readElicitation(ctx.inputResponses.enums);
      if (answer !== undefined) return done(`Elicitation completed: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
      const titled = (prefix: string, label: string) => ['First', 'Second', 'Third'].map((t, i) => ({ const: `${prefix}${i + 1}`, title: `${t} ${label}` }));
      return inputRequired({
        inputRequests: {
          enums: ask.form('Please select options from the enum fields', {
            type: 'object',
            properties: {
              untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
              titledSingle: { type: 'string', description: 'Select one titled option', oneOf: titled('value', 'Option') },
              legacyEnum: { type: 'string', description: 'Select one (legacy)', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
              untitledMulti: { type: 'array', description: 'Select several', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
              titledMulti: { type: 'array', description: 'Select several titled', minItems: 1, maxItems: 3, items: { anyOf: titled('value', 'Choice') } },
            },
            required: [],
          }),
        },
      });
    },
  }),
  defineTool({
    name: 'test_missing_capability',
    description: 'Needs sampling; refused with -32021 when the client does not declare it.',
    handler: (_input, ctx) => (readSampling(ctx.inputResponses.needs_sampling) ? done('sampled') : inputRequired({ inputRequests: { needs_sampling: capitalQuestion } })),
  }),
  defineTool({
    name: 'test_streaming_elicitation',
    description: 'Asks the user a question without sending a request on the response stream.',
    handler: (_input, ctx) => (readElicitation(ctx.inputResponses.user_name) ? done('thanks') : inputRequired({ inputRequests: { user_name: nameForm } })),
  }),
  defineTool({
    name: 'test_input_required_result_elicitation',
    description: 'Asks for the user name by elicitation.',
    handler: (_input, ctx) => {
      const answer = readElicitation(ctx.inputResponses.user_name);
      const name = answer?.action === 'accept' ? answer.content?.name : undefined;
      return typeof name === 'string' ? done(`Hello, ${name}!`) : inputRequired({ inputRequests: { user_name: nameForm } });
    },
  }),
  defineTool({
    name: 'test_input_required_result_sampling',
    description: 'Asks the client to sample an answer.',
    handler: (_input, ctx) => {
      const answer = readSampling(ctx.inputResponses.capital_question);
      return answer ? done(`The model said: ${JSON.stringify(answer.content)}`) : inputRequired({ inputRequests: { capital_question: capitalQuestion } });
    },
  }),
  defineTool({
    name: 'test_input_required_result_list_roots',
    description: 'Asks the client for its roots.',
    handler: (_input, ctx) => {
      const answer = readRoots(ctx.inputResponses.client_roots);
      return answer ? done(`Roots: ${answer.roots.map((r) => r.uri).join(', ')}`) : inputRequired({ inputRequests: { client_roots: ask.roots() } });
    },
  }),
  defineTool({
    name: 'test_input_required_result_request_state',
    description: 'Keeps state between rounds in requestState.',
    handler: (_input, ctx) => {
      const state = ctx.requestState as { step?: number } | undefined;
      if (state?.step === 1 && ctx.inputResponses.confirm !== undefined) return done('state-ok');
      return inputRequired({ inputRequests: { confirm: ask.form('Confirm?', { type: 'object', properties: { ok: { type: 'boolean' } } }) }, state: { step: 1 } });
    },
  }),
  defineTool({
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks for elicitation, sampling and roots at once.',
    handler: (_input, ctx) => {
      const r = ctx.inputResponses;
      if (readElicitation(r.user_name) && readSampling(r.capital_question) && readRoots(r.client_roots)) return done('all inputs received');
      return inputRequired({ inputRequests: { user_name: nameForm, capital_question: capitalQuestion, client_roots: ask.roots() }, state: { asked: 3 } });
    },
  }),
  defineTool({
    name: 'test_input_required_result_multi_round',
    description: 'Needs two rounds of input.',
    handler: (_input, ctx) => {
      const round = (ctx.requestState as { round?: number } | undefined)?.round ?? 0;
      if (round === 2 && readElicitation(ctx.inputResponses.favorite_color)) return done('multi-round complete');
      if (round === 1 && readElicitation(ctx.inputResponses.user_name)) {
        const color = ask.form('Favourite colour?', { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] });
        return inputRequired({ inputRequests: { favorite_color: color }, state: { round: 2 } });
      }
      return inputRequired({ inputRequests: { user_name: nameForm }, state: { round: 1 } });
    },
  }),
  defineTool({
    name: 'test_input_required_result_tampered_state',
    description: 'Refuses a requestState that was altered.',
    handler: (_input, ctx) =>
      ctx.requestState !== undefined && ctx.inputResponses.confirm !== undefined
        ? done('state verified')
        : inputRequired({ inputRequests: { confirm: ask.form('Confirm?', { type: 'object', properties: { ok: { type: 'boolean' } } }) }, state: { issued: true } }),
  }),
  defineTool({
    name: 'test_input_required_result_capabilities',
    description: 'Only asks for the kinds of input the client declared.',
    handler: (_input, ctx) => {
      if (Object.keys(ctx.inputResponses).length > 0) return done('answered');
      const caps = ctx.client.capabilities;
      if (caps.elicitation !== undefined) return inputRequired({ inputRequests: { user_name: nameForm } });
      if (caps.sampling !== undefined) return inputRequired({ inputRequests: { capital_question: capitalQuestion } });
      return inputRequired({ inputRequests: { client_roots: ask.roots() } });
    },
  }),
];
