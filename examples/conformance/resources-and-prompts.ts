import {
  ask,
  definePrompt,
  defineResource,
  defineResourceTemplate,
  embeddedResource,
  image,
  inputRequired,
  readElicitation,
  text,
  type PromptDefinition,
  type ResourceDefinition,
  type ResourceTemplateDefinition,
} from '../../src/index.js';
import { TEST_IMAGE_BASE64 } from './fixtures.js';

export const resources: (ResourceDefinition | ResourceTemplateDefinition)[] = [
  defineResource({
    uri: 'test://static-text',
    name: 'Static text',
    description: 'A static text resource.',
    mimeType: 'text/plain',
    read: () => ({ uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' }),
  }),
  defineResource({
    uri: 'test://static-binary',
    name: 'Static binary',
    description: 'A static binary resource (a PNG).',
    mimeType: 'image/png',
    read: () => ({ uri: 'test://static-binary', mimeType: 'image/png', blob: TEST_IMAGE_BASE64 }),
  }),
  defineResource({
    uri: 'test://watched-resource',
    name: 'Watched resource',
    description: 'A resource clients can subscribe to.',
    mimeType: 'text/plain',
    read: () => ({ uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' }),
  }),
  defineResourceTemplate({
    uriTemplate: 'test://template/{id}/data',
    name: 'Template data',
    description: 'Data for an id.',
    mimeType: 'application/json',
    complete: { id: (value) => ['123', '456', '789'].filter((v) => v.startsWith(value)) },
    read: (uri, { id }) => ({ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }),
  }),
];

export const prompts: PromptDefinition[] = [
  definePrompt({
    name: 'test_simple_prompt',
    description: 'A prompt without arguments.',
    handler: () => ({ messages: [{ role: 'user', content: text('This is a simple prompt for testing.') }] }),
  }),
  definePrompt({
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments.',
    arguments: [
      { name: 'arg1', description: 'First argument', required: true },
      { name: 'arg2', description: 'Second argument', required: true },
    ],
    complete: { arg1: (value) => ['test', 'testing', 'tested'].filter((v) => v.startsWith(value)) },
    handler: ({ arg1, arg2 }) => ({ messages: [{ role: 'user', content: text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`) }] }),
  }),
  definePrompt({
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt embedding a resource.',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    handler: ({ resourceUri }) => ({
      messages: [
        { role: 'user', content: embeddedResource({ uri: resourceUri as string, mimeType: 'text/plain', text: 'Embedded resource content for testing.' }) },
        { role: 'user', content: text('Please process the embedded resource above.') },
      ],
    }),
  }),
  definePrompt({
    name: 'test_prompt_with_image',
    description: 'A prompt with an image.',
    handler: () => ({
      messages: [
        { role: 'user', content: image(TEST_IMAGE_BASE64, 'image/png') },
        { role: 'user', content: text('Please analyze the image above.') },
      ],
    }),
  }),
  definePrompt({
    name: 'test_input_required_result_prompt',
    description: 'A prompt that asks the user for context first.',
    handler: (_args, ctx) => {
      const answer = readElicitation(ctx.inputResponses.context);
      if (answer === undefined) {
        return inputRequired({ inputRequests: { context: ask.form('What context should the prompt use?', { type: 'object', properties: { context: { type: 'string' } } }) } });
      }
      const context = typeof answer.content?.context === 'string' ? answer.content.context : '';
      return { messages: [{ role: 'user', content: text(`Use this context: ${context}`) }] };
    },
  }),
];
