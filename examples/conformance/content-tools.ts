import { z } from 'zod';
import { defineTool, embeddedResource, image, audio, text, toolResult, type ToolDefinition } from '../../src/index.js';
import { TEST_AUDIO_BASE64, TEST_IMAGE_BASE64, sleep } from './fixtures.js';

/** Tools returning each kind of content, plus logging, progress and error results. */
export const contentTools: ToolDefinition[] = [
  defineTool({
    name: 'test_simple_text',
    description: 'Returns a simple text response.',
    handler: () => toolResult({ content: [text('This is a simple text response for testing.')] }),
  }),
  defineTool({
    name: 'test_image_content',
    description: 'Returns an image.',
    handler: () => toolResult({ content: [image(TEST_IMAGE_BASE64, 'image/png')] }),
  }),
  defineTool({
    name: 'test_audio_content',
    description: 'Returns audio.',
    handler: () => toolResult({ content: [audio(TEST_AUDIO_BASE64, 'audio/wav')] }),
  }),
  defineTool({
    name: 'test_embedded_resource',
    description: 'Returns an embedded resource.',
    handler: () =>
      toolResult({ content: [embeddedResource({ uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' })] }),
  }),
  defineTool({
    name: 'test_multiple_content_types',
    description: 'Returns text, an image and an embedded resource.',
    handler: () =>
      toolResult({
        content: [
          text('Multiple content types test:'),
          image(TEST_IMAGE_BASE64, 'image/png'),
          embeddedResource({ uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' }),
        ],
      }),
  }),
  defineTool({
    name: 'test_tool_with_logging',
    description: 'Sends three log messages while it runs.',
    handler: async (_input, ctx) => {
      for (const message of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
        ctx.log('info', message);
        await sleep(50, ctx.signal);
      }
      return toolResult({ content: [text('Logging test completed')] });
    },
  }),
  defineTool({
    name: 'test_logging_tool',
    description: 'Logs a message; it reaches the client only when the request asks for a log level.',
    handler: (_input, ctx) => {
      ctx.log('info', 'a log message the client did not ask for');
      return toolResult({ content: [text('logged')] });
    },
  }),
  defineTool({
    name: 'test_tool_with_progress',
    description: 'Reports progress three times.',
    handler: async (_input, ctx) => {
      for (const step of [0, 50, 100]) {
        ctx.progress(step, 100, `Completed step ${step} of 100`);
        await sleep(20, ctx.signal);
      }
      return toolResult({ content: [text('Progress test completed')] });
    },
  }),
  defineTool({
    name: 'test_error_handling',
    description: 'Always returns a tool error.',
    handler: () => toolResult({ content: [text('This tool intentionally returns an error for testing')], isError: true }),
  }),
  defineTool({
    name: 'test_custom_header',
    description: 'Echoes a region mirrored in the Mcp-Param-Region header.',
    input: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }).describe('A region code') }),
    handler: ({ region }) => toolResult({ content: [text(`region=${region}`)] }),
  }),
  defineTool({
    name: 'json_schema_2020_12_tool',
    description: 'Advertises a JSON Schema 2020-12 input schema verbatim.',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { $anchor: 'addressDef', type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    },
    handler: (input) => toolResult({ content: [text(`received ${JSON.stringify(input)}`)] }),
  }),
];
