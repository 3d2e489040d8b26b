import { Value } from '@sinclair/typebox/value';
import { ApiError } from '../../shared/api/client.js';
import { registerSharedFormats } from '../../shared/api/formats.js';
import {
  channelName,
  INVOKE_KEYS,
  IPC,
  toIpcError,
  type InvokeArgs,
  type InvokeKey,
  type InvokeValue,
  type IpcResult,
} from '../../shared/ipc/contract.js';
import { IpcSenderRefused, isTrustedSender, type IpcInvokeEventLike } from './sender.js';

/**
 * The typed `handle` of the IPC map (GitHub Desktop's habit): one handler
 * per invoke channel, whose argument and result types come from
 * shared/ipc/channels.ts. The dispatcher wraps each one the same way:
 *
 *   sender check (the app's main frame, else the invoke rejects)
 *   → argument check against the channel's TypeBox schema (400 invalid_request)
 *   → the handler, whose ApiError (or any other throw: 500, logged) becomes
 *     the IpcResult's error — the one ApiError → IpcError conversion.
 */

registerSharedFormats();

export type IpcHandler<K extends InvokeKey> = (args: InvokeArgs<K>, event: IpcInvokeEventLike) => InvokeValue<K> | Promise<InvokeValue<K>>;

/** Every invoke channel's handler: the compiler refuses a missing or mistyped one. */
export type IpcHandlers = { [K in InvokeKey]: IpcHandler<K> };

export type IpcListener = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<IpcResult<unknown>>;

export interface DispatchOptions {
  appOrigins: readonly string[];
  onRefused?: (channel: string, reason: string) => void;
  /** A handler threw something other than an ApiError: a bug, logged with its stack. */
  onUnexpected?: (channel: string, error: unknown) => void;
}

function argumentProblem(key: InvokeKey, args: unknown[]): string | null {
  const schema = IPC[key].args;
  if (schema === null) return args.length === 0 ? null : `${key} takes no argument`;
  if (args.length !== 1) return `${key} takes one argument`;
  if (Value.Check(schema, args[0])) return null;
  const first = Value.Errors(schema, args[0]).First();
  return first ? `${first.path || 'argument'}: ${first.message}` : 'invalid argument';
}

export function wrapHandler<K extends InvokeKey>(key: K, handler: IpcHandler<K>, options: DispatchOptions): IpcListener {
  const channel = channelName(key);
  return async (event, ...args) => {
    if (!isTrustedSender(event, options.appOrigins)) {
      options.onRefused?.(channel, 'sender');
      throw new IpcSenderRefused(channel);
    }
    // A trailing undefined is "no argument" (how an optional one arrives from a bridge call without it).
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    const problem = argumentProblem(key, args);
    if (problem) {
      options.onRefused?.(channel, problem);
      return { ok: false, error: toIpcError(new ApiError(400, 'invalid_request', problem)) };
    }
    try {
      return { ok: true, value: await handler(args[0] as InvokeArgs<K>, event) };
    } catch (error) {
      if (!(error instanceof ApiError)) options.onUnexpected?.(channel, error);
      return { ok: false, error: toIpcError(error) };
    }
  };
}

/** [wire channel, listener] for every invoke channel of the map, for `ipcMain.handle`. */
export function ipcListeners(handlers: IpcHandlers, options: DispatchOptions): Array<[string, IpcListener]> {
  return INVOKE_KEYS.map((key) => [channelName(key), wrapHandler(key, handlers[key] as IpcHandler<typeof key>, options)]);
}
