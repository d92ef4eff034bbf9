/**
 * The in-memory state of the meeting features in one service instance: the metadata cache, the
 * sends this process is running (so duplicates of a send wait for it), and the timers that resolve
 * sends whose outcome was unknown. Built once by the composition root (src/main.ts) and handed to
 * the meeting functions inside a MeetingContext.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceContext } from '../platform/service-context.ts';
import { DescribeCache, type MetadataScope } from './describe-cache.ts';
import type { NoteFormat } from './form-fields.ts';

const DEFAULT_RESOLVER_INTERVAL_MS = 10_000;

export interface MeetingRuntime {
  describeCache: DescribeCache;
  /** Sends in flight in this process, by idempotency key: duplicates await the same promise. */
  inFlight: Map<string, Promise<unknown>>;
  /** See MEETING_SEND_SETTLE_MS in the configuration. */
  settleMs: number;
  /** See MEETING_SEND_WRITE_TIMEOUT_MS: a send's Salesforce write is aborted after this long. */
  writeTimeoutMs: number;
  timers: Set<NodeJS.Timeout>;
  stopped: boolean;
  /** This instance, named on the journal rows it holds (see send-resolution.ts). */
  instanceId: string;
  /** How often this instance's resolver looks for sends to take over (MEETING_SEND_RESOLVER_INTERVAL_MS). */
  resolverIntervalMs: number;
  /** The workspace's note format as last read (see NOTE_FORMAT_FRESH_MS). */
  noteFormat?: { value: NoteFormat; readAt: number };
}

/** What the meeting functions run with: the platform services and this instance's meeting state. */
export interface MeetingContext extends ServiceContext {
  meetings: MeetingRuntime;
}

export function createMeetingRuntime({
  now,
  settleMs,
  writeTimeoutMs,
  resolverIntervalMs = DEFAULT_RESOLVER_INTERVAL_MS,
}: {
  now: () => number;
  settleMs: number;
  writeTimeoutMs: number;
  resolverIntervalMs?: number;
}): MeetingRuntime {
  return {
    describeCache: new DescribeCache(now),
    inFlight: new Map(),
    settleMs,
    writeTimeoutMs,
    timers: new Set(),
    stopped: false,
    instanceId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    resolverIntervalMs,
  };
}

/** Cancels pending timers (the service is stopping; the next start picks their work up). */
export function stopMeetingRuntime(runtime: MeetingRuntime): void {
  runtime.stopped = true;
  for (const timer of runtime.timers) clearTimeout(timer);
  runtime.timers.clear();
}

/** Registers the holder's work so duplicates in this process wait for it instead of polling. */
export function trackInFlight<T>(runtime: MeetingRuntime, key: string, work: () => Promise<T>): Promise<T> {
  const { inFlight } = runtime;
  const promise = work().finally(() => {
    if (inFlight.get(key) === promise) inFlight.delete(key);
  });
  inFlight.set(key, promise);
  return promise;
}

/** The describe cache's key of a connection: its org and Salesforce user. */
export function scopeOf(connection: { orgId: string; salesforceUserId: string }): MetadataScope {
  return { orgId: connection.orgId, salesforceUserId: connection.salesforceUserId };
}
