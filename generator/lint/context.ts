/** What every lint rule sees: where to report, and the run's options. */

import type { Location } from '../../spec/model.js';
import type { Code } from '../diagnostics.js';

export interface LintContext {
  /** Records one guideline finding (severity is decided by the caller: warning or --strict). */
  report(code: Code, message: string, location: Location): void;
  /** True when the project declared it owns `prefix` (`--owner`), e.g. `org.qemu` for QEMU. */
  owns(prefix: string): boolean;
  /** Where bus names given as options are reported (the config file or the command line). */
  readonly busNameLocation: Location;
}
