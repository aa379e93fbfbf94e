/**
 * QEMU dbus-vmstate, public API (`dbus-codegen-ts/vmstate`): the helper side
 * ({@link serveVMState}), the migrator ({@link VMStateMigrator}), the blob codec and the
 * migration-stream reader. Kept apart from `dbus-codegen-ts/runtime` because it is built on
 * generated code, which itself imports the runtime.
 */
export {
  BlobError,
  type BlobFault,
  checkId,
  decodeBlob,
  encodeBlob,
  MAX_DATA_BYTES,
  MAX_ID_BYTES,
  type VMStateEntry,
} from './blob.js';
export { VMStateError, type VMStateErrorCode } from './errors.js';
export {
  serveVMState,
  VMSTATE_BUS_NAME,
  VMSTATE_PATH,
  VMStateErrorNames,
  type VMStateHelper,
  type VMStateHelperOptions,
} from './helper.js';
export {
  type HelperInfo,
  type HelperReport,
  type ListOptions,
  type LoadOptions,
  MIGRATOR_DEFAULTS,
  type MigratorOptions,
  VMStateMigrator,
} from './migrator.js';
export { findVMStateSection, isMigrationStream, type StreamSection } from './stream.js';
