/**
 * The interface the interop tests serve from our skeleton (for gdbus and busctl) and call
 * on the Python GDBus service (org.example.Py1, same echo methods).
 */
import { DBusError } from '../../runtime/errors.js';
import { makeInterface } from './descriptor.js';

export const ECHO_SIGS = [
  'y',
  'b',
  'n',
  'q',
  'i',
  'u',
  'x',
  't',
  'd',
  's',
  'o',
  'g',
  'ay',
  'as',
  'aay',
  'a{sv}',
  'a{is}',
  'a{ta{sv}}',
  '(isv)',
  'a(yay)',
  'v',
  'av',
] as const;

export function echoName(sig: string): string {
  return `Echo_${sig.replace(/[{}()]/g, (c) => ({ '{': 'D', '}': 'E', '(': 'S', ')': 'T' })[c]!)}`;
}

const echoMethods = Object.fromEntries(
  ECHO_SIGS.map((s) => [
    echoName(s),
    { in: [['value', s]] as const, out: [['value', s]] as const },
  ]),
);

/** org.example.Py1 as served by test/interop/fixtures/gdbus-service.py. */
export const Py1 = makeInterface('org.example.Py1', {
  methods: {
    ...echoMethods,
    Save: { out: [['data', 'ay']] },
    SetSize: { in: [['size', 'u']] },
    Fail: {},
    Emit: { in: [['n', 'u']] },
  },
  signals: {
    Tick: [
      ['n', 'u'],
      ['data', 'ay'],
    ],
  },
  properties: { Name: { type: 's', access: 'read' }, Volume: { type: 'u', access: 'readwrite' } },
});

/** Same shape, served by our skeleton as org.example.Interop1. */
export const Interop1 = makeInterface('org.example.Interop1', {
  methods: {
    ...echoMethods,
    Save: { out: [['data', 'ay']] },
    Fail: {},
    Crash: {},
    Add: {
      in: [
        ['a', 'x'],
        ['b', 'x'],
      ],
      out: [['sum', 'x']],
    },
    Pair: {
      out: [
        ['name', 's'],
        ['count', 'u'],
      ],
    },
  },
  signals: {
    Tick: [
      ['n', 'u'],
      ['data', 'ay'],
    ],
  },
  properties: {
    Name: { type: 's', access: 'read' },
    Volume: { type: 'u', access: 'readwrite' },
    Tags: { type: 'a{sv}', access: 'read' },
  },
});

export function interopHandlers(save: Uint8Array): Record<string, unknown> {
  const h: Record<string, unknown> = {
    save: () => save,
    fail: () => {
      throw new DBusError('org.example.Error.Custom', 'custom text');
    },
    crash: () => {
      throw new Error('secret /home/user/file.ts:12:3');
    },
    add: (a: bigint, b: bigint) => a + b,
    pair: () => ({ name: 'n', count: 2 }),
  };
  for (const s of ECHO_SIGS) h[`echo_${echoName(s).slice(5)}`] = (v: unknown) => v;
  return h;
}
