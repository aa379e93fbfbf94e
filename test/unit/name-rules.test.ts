// One set of D-Bus name rules (spec/names.ts): each predicate and its reason function agree on
// every string, and they have one public home, the runtime entry (not the generator API too).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as generator from '../../api/index.js';
import * as runtime from '../../runtime/index.js';
import * as spec from '../../spec/names.js';

const alphabet = fc.constantFrom(...'aZ_9-./:é'.split(''), 'é');
const nameLike = fc.oneof(
  fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join('')),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 250, max: 260 }).map((n) => `a.${'b'.repeat(n)}`),
  fc.integer({ min: 250, max: 260 }).map((n) => `:1.${'2'.repeat(n)}`),
);

const pairs = [
  ['interface', spec.isValidInterfaceName, spec.interfaceNameProblem],
  ['error', spec.isValidErrorName, spec.errorNameProblem],
  ['member', spec.isValidMemberName, spec.memberNameProblem],
  ['bus', spec.isValidBusName, spec.busNameProblem],
  ['object path', spec.isValidObjectPath, spec.objectPathProblem],
] as const;

describe('name rules', () => {
  for (const [kind, valid, problem] of pairs) {
    it(`${kind}: the predicate holds exactly when there is no problem`, () => {
      fc.assert(
        fc.property(nameLike, (s) => {
          expect(valid(s)).toBe(problem(s) === undefined);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('gives a reason that names the offending part', () => {
    expect(spec.interfaceNameProblem('org.7zip.Plugin')).toBe('element "7zip" starts with a digit');
    expect(spec.busNameProblem(':1')).toBe('it needs at least two elements separated by "."');
    expect(spec.objectPathProblem('/a//b')).toBe('it has an empty element ("//")');
  });

  it('the runtime exports the very functions, and only the runtime', () => {
    const fromRuntime: Record<string, unknown> = { ...runtime };
    const fromGenerator: Record<string, unknown> = { ...generator };
    const rules = Object.entries(spec).filter(([, v]) => typeof v === 'function');
    expect(rules.length).toBe(10);
    for (const [name, fn] of rules) {
      expect(fromRuntime[name], name).toBe(fn);
      expect(fromGenerator[name], name).toBeUndefined();
    }
    expect(runtime.isObjectPath).toBe(spec.isValidObjectPath);
    expect(runtime.isBusName).toBe(spec.isValidBusName);
    expect(runtime.isInterfaceName).toBe(spec.isValidInterfaceName);
  });
});
