/**
 * The D-Bus name rules moved to spec/names.ts (shared with the runtime). This re-export keeps
 * imports from branches written before the move working; import spec/names.js in new code.
 */
export * from '../spec/names.js';
