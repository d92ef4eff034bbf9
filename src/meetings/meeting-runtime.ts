/**
 * The in-memory state of the meeting features in one service instance: the metadata cache, the
 * sends this process is running (so duplicates of a send wait for it), and the timers that resolve
 * sends whose outcome was unknown at startup. Kept beside the ServiceContext (one per context)
 * rather than in it, so the shared context type does not grow with every feature.
 */
import type { ServiceContext } from '../platform/service-context.ts';
import { DescribeCache } from './describe-cache.ts';
import type { NoteFormat } from './send-form.ts';

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
  /** The workspace's note format as last read (see NOTE_FORMAT_FRESH_MS). */
  noteFormat?: { value: NoteFormat; readAt: number };
}

const runtimes = new WeakMap<ServiceContext, MeetingRuntime>();

export function meetingRuntimeOf(service: ServiceContext): MeetingRuntime {
  let runtime = runtimes.get(service);
  if (!runtime) {
    runtime = {
      describeCache: new DescribeCache(service.now),
      inFlight: new Map(),
      settleMs: service.config.MEETING_SEND_SETTLE_MS,
      writeTimeoutMs: service.config.MEETING_SEND_WRITE_TIMEOUT_MS,
      timers: new Set(),
      stopped: false,
    };
    runtimes.set(service, runtime);
  }
  return runtime;
}

/** Cancels pending timers (the service is stopping; the next start picks their work up). */
export function stopMeetingRuntime(service: ServiceContext): void {
  const runtime = runtimes.get(service);
  if (!runtime) return;
  runtime.stopped = true;
  for (const timer of runtime.timers) clearTimeout(timer);
  runtime.timers.clear();
}
