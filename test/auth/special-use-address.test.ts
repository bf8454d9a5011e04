import { describe, expect, it } from 'vitest';
import { isSpecialUseAddress } from '../../src/auth/oauth/special-use-address.js';

describe('special-use addresses', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '[::1]', 'not-an-ip'])(
    'B-AUTH-03: %s is refused as a fetch target',
    (address) => expect(isSpecialUseAddress(address)).toBe(true),
  );
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('B-AUTH-03: %s is a public address', (address) => expect(isSpecialUseAddress(address)).toBe(false));
});
