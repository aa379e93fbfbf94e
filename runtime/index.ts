/**
 * The runtime generated code imports (`dbus-codegen-ts/runtime`). Other areas add their
 * own export lines below.
 */

export {
  busNameProblem,
  errorNameProblem,
  interfaceNameProblem,
  isValidBusName,
  isValidErrorName,
  isValidInterfaceName,
  isValidMemberName,
  isValidObjectPath,
  memberNameProblem,
  objectPathProblem,
} from '../spec/names.js';
export {
  parseSignature,
  parseSingleType,
  SignatureError,
  type TypeNode,
} from '../spec/signature.js';
export { type AuthorizationRequest, type Authorizer, uidOf } from './auth.js';
export {
  type CallOptions,
  Connection,
  type ConnectOptions,
  connect,
  DEFAULT_TIMEOUT_MS,
  type ExpectedSignature,
  type IncomingMessage,
  MessageFlag,
  type MessageHeader,
  MessageType,
  type MethodCall,
  type MethodCallHandler,
  type SignalMessage,
  type Unsubscribe,
} from './connection.js';
export type {
  ArgDescriptor,
  EmitsChangedSignalMode,
  InterfaceDescriptor,
  MethodDescriptor,
  PropertyAccess,
  PropertyDescriptor,
  SignalDescriptor,
} from './descriptor.js';
export { DoubleKeyMap } from './double-key-map.js';
export {
  DBusError,
  type ErrorName,
  ErrorNames,
  UnixFdUnsupportedError,
  type ValidationDirection,
  ValidationError,
} from './errors.js';
export { isBusName, isErrorName, isInterfaceName, isMemberName } from './names.js';
export { type CallContext, ObjectServer } from './object-server.js';
export {
  acceptPeer,
  connectPeer,
  type PeerEndpoint,
  type SaslServerOptions,
} from './peer-connection.js';
export { listenPeer, type PeerServer, type PeerServerOptions } from './peer-server.js';
export {
  type BusLimits,
  DEFAULT_BUS_LIMITS,
  PrivateBus,
  type PrivateBusOptions,
} from './private-bus.js';
export { ProxyBase, type ProxyOptions, packOutArgs } from './proxy.js';
export {
  type AllowUidsOptions,
  allOf,
  allowUids,
  anyOf,
  forMembers,
  resolveUid,
} from './security/uid-policy.js';
export { matchRule, type SignalFilter, subscribeSignal } from './signals.js';
export { SkeletonBase, type SkeletonOptions } from './skeleton.js';
export {
  forgetIntrospection,
  introspectObject,
  isSupported,
  type ServedMembers,
  servedMembers,
} from './supports.js';
export { escapeValue as escapeAddressValue, parseAddresses } from './transport/address.js';
export { MAX_MESSAGE_VALUES } from './transport/body-decoder.js';
export { nativeFailure } from './transport/native.js';
export { socketPair, UnixFd } from './unix-fd.js';
export {
  checkValue,
  compileType,
  isObjectPath,
  MAX_ARRAY_BYTES,
  MAX_VALUE_DEPTH,
  validateArgs,
  validateBody,
} from './validate.js';
export { Variant } from './variant.js';
