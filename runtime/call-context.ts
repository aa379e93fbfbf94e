/**
 * What passes between the object server and the skeletons: the {@link CallContext} of one
 * incoming call and the {@link ExportEntry} a skeleton registers for one interface at one path.
 */
import type { IncomingMessage } from './connection.js';
import type { InterfaceDescriptor, MethodDescriptor, PropertyDescriptor } from './descriptor.js';

/** What a handler learns about the call it serves (second-to-last handler argument). */
export interface CallContext {
  readonly sender: string;
  readonly path: string;
  readonly interfaceName: string;
  readonly member: string;
  readonly noReplyExpected: boolean;
}

/** What a skeleton registers: descriptor plus closures into its private state. */
export interface ExportEntry {
  readonly descriptor: InterfaceDescriptor;
  readonly path: string;
  readonly authorize?:
    | ((req: import('./auth.js').AuthorizationRequest) => boolean | Promise<boolean>)
    | undefined;
  invoke(
    method: MethodDescriptor,
    args: readonly unknown[],
    ctx: CallContext,
  ): Promise<readonly unknown[]>;
  read(prop: PropertyDescriptor): unknown;
  write(prop: PropertyDescriptor, value: unknown, ctx: CallContext): Promise<void>;
}

export function callContext(
  msg: IncomingMessage,
  path: string,
  interfaceName: string,
  member: string,
): CallContext {
  return {
    sender: msg.sender ?? '',
    path,
    interfaceName,
    member,
    noReplyExpected: (msg.flags & 1) !== 0,
  };
}
