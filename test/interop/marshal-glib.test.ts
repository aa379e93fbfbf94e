/**
 * Our marshaller judged by an independent reader: GLib's GDBusMessage.new_from_blob (strict:
 * it checks alignment, padding bytes, array lengths and header fields). Cases are the
 * alignment traps: empty arrays of 8-aligned elements (the length excludes the padding
 * before the first element), dict entries, variants of structs, nested containers, `g`
 * length bytes and INT64/UINT64 extremes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { marshalMessage } from '../../runtime/transport/marshal.js';
import { Variant } from '../../runtime/variant.js';
import { hasPythonGi } from '../support/python-service.js';

const available = hasPythonGi();
if (!available) console.log('GLib marshal judge skipped: /usr/bin/python3 with gi not found');

const CASES: [string, unknown[], string][] = [
  ['a(tt)', [[]], '(@a(tt) [],)'],
  ['ya(tt)y', [1, [], 9], '(byte 0x01, @a(tt) [], byte 0x09)'],
  ['ya{tv}s', [1, new Map(), 'z'], "(byte 0x01, @a{tv} {}, 'z')"],
  ['yaty', [1, [], 2], '(byte 0x01, @at [], byte 0x02)'],
  ['yady', [1, [], 2], '(byte 0x01, @ad [], byte 0x02)'],
  [
    'yax',
    [1, [-(2n ** 63n), 2n ** 63n - 1n]],
    '(byte 0x01, [int64 -9223372036854775808, 9223372036854775807])',
  ],
  ['yt', [1, 2n ** 64n - 1n], '(byte 0x01, uint64 18446744073709551615)'],
  ['yv', [1, new Variant('(yt)', [1, 5n])], '(byte 0x01, <(byte 0x01, uint64 5)>)'],
  ['yvy', [1, new Variant('a(yt)', []), 7], '(byte 0x01, <@a(yt) []>, byte 0x07)'],
  [
    'yv',
    [1, new Variant('v', new Variant('a{yv}', new Map([[1, new Variant('(t)', [3n])]])))],
    '(byte 0x01, <<{byte 0x01: <(uint64 3,)>}>>)',
  ],
  [
    'ya{y(ty)}',
    [
      2,
      new Map([
        [1, [2n, 3]],
        [4, [5n, 6]],
      ]),
    ],
    '(byte 0x02, {byte 0x01: (uint64 2, byte 0x03), 0x04: (5, 0x06)})',
  ],
  ['ygg', [1, 'a{sv}(tt)', ''], "(byte 0x01, signature 'a{sv}(tt)', signature '')"],
  ['yaaat', [1, [[[]], [], [[1n]]]], '(byte 0x01, [[@at []], [], [[1]]])'],
  [
    'ya(yv)',
    [
      1,
      [
        [1, new Variant('ay', new Uint8Array([1, 2, 3]))],
        [2, new Variant('(yd)', [1, 2.5])],
      ],
    ],
    '(byte 0x01, [(byte 0x01, <[byte 0x01, 0x02, 0x03]>), (0x02, <(byte 0x01, 2.5)>)])',
  ],
  [
    '(yv)aa{sv}',
    [
      [1, new Variant('g', 'a(tv)')],
      [{}, { a: new Variant('x', -1n) }],
    ],
    "((byte 0x01, <signature 'a(tv)'>), [@a{sv} {}, {'a': <int64 -1>}])",
  ],
  ['nayqa(y)', [-1, new Uint8Array(0), 5, []], '(int16 -1, @ay [], uint16 5, @a(y) [])'],
];

const JUDGE = `
import json, sys
from gi.repository import Gio
out = []
for h in json.load(sys.stdin):
    try:
        m = Gio.DBusMessage.new_from_blob(bytes.fromhex(h), Gio.DBusCapabilityFlags.NONE)
        out.append(m.get_body().print_(True))
    except Exception as e:
        out.append('ERROR ' + str(e))
print(json.dumps(out))
`;

describe.skipIf(!available)('GLib reads what we write', () => {
  it('alignment and padding traps parse strictly and to the same values', () => {
    const blobs = CASES.map(([signature, body]) =>
      marshalMessage({
        type: 4,
        serial: 7,
        path: '/x',
        interfaceName: 'a.b',
        member: 'C',
        signature,
        body,
      }).toString('hex'),
    );
    const got = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', JUDGE], { input: JSON.stringify(blobs) }).toString(),
    ) as string[];
    expect(got).toEqual(CASES.map((c) => c[2]));
  });
});
