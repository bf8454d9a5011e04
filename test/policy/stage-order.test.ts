import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPolicyStages, type PolicyStageDeps } from '../../src/server/build-policy-stages.js';
import { serverOptionsSchema } from '../../src/server/options.js';

describe('the tool policy pipeline', () => {
  it('B-POL-01..09: runs its stages in the fixed order that docs/tool-policy.md documents', () => {
    const options = serverOptionsSchema.parse({ name: 'x', version: '1', auth: { kind: 'insecure-none' } });
    // The stages only keep their dependencies at build time; none is called here.
    const stages = buildPolicyStages({ options, clock: Date.now, settingsUrl: 'https://x.example/settings' } as unknown as PolicyStageDeps);
    const doc = readFileSync(new URL('../../docs/tool-policy.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| (\d+) \| `([a-z-]+)` \|/gm)].map((m) => m[2]);
    expect(stages.map((s) => s.name)).toEqual(documented);
    expect(documented).toHaveLength(16);
  });
});
