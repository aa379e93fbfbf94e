/** D-Bus server address parsing: `;` lists, key=value pairs, %-escapes. */
import { describe, expect, it } from 'vitest';
import { DBusError, ErrorNames } from '../../runtime/errors.js';
import { escapeValue, parseAddresses, unescapeValue } from '../../runtime/transport/address.js';

describe('parseAddresses', () => {
  it('parses lists and parameters', () => {
    const [a, b] = parseAddresses('unix:path=/tmp/x;tcp:host=127.0.0.1,port=4000,family=ipv4');
    expect(a!.transport).toBe('unix');
    expect(a!.params.get('path')).toBe('/tmp/x');
    expect(b!.transport).toBe('tcp');
    expect(Object.fromEntries(b!.params)).toEqual({
      host: '127.0.0.1',
      port: '4000',
      family: 'ipv4',
    });
  });
  it('decodes %-escapes (bytes, then UTF-8)', () => {
    expect(parseAddresses('unix:path=/tmp/so%63k%2c%3d%3b%20x')[0]!.params.get('path')).toBe(
      '/tmp/sock,=; x',
    );
    expect(unescapeValue('%c3%a9')).toBe('é');
    expect(escapeValue('/tmp/a b,é')).toBe('/tmp/a%20b%2c%c3%a9');
    expect(unescapeValue(escapeValue('/x y;z=é'))).toBe('/x y;z=é');
  });
  it('rejects malformed addresses with BadAddress', () => {
    for (const bad of [
      '',
      'nocolon',
      'unix:path',
      'unix:path=%zz',
      'unix:path=a,path=b',
      ':path=x',
    ]) {
      const err = (() => {
        try {
          parseAddresses(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, bad).toBeInstanceOf(DBusError);
      expect((err as DBusError).type).toBe(ErrorNames.BadAddress);
    }
  });
  it('skips empty list entries', () => {
    expect(parseAddresses(';unix:path=/a;').length).toBe(1);
  });
});
