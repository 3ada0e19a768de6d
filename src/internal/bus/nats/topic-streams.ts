/**
 * Creates each topic's stream on first use and remembers that it exists. Durable topics are file
 * streams kept for `retentionMs` whoever has read them (limits retention), so a consumer created
 * later, or offline for a while, still finds its messages; ephemeral topics are memory streams
 * that drop messages after the topic's `maxAgeMs`.
 */
import { DiscardPolicy, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import { nanos, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import type { TopicSpec } from '../bus.js';
import { topicNames, type TopicNames } from './nats-names.js';

/** JetStream's "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;
/** JetStream's default de-duplication window; shortened for streams that keep less. */
const DUPLICATE_WINDOW_MS = 120_000;

export interface TopicStreamSettings {
  readonly prefix: string;
  /** How long durable topics keep messages; 0 keeps them until deleted by hand. */
  readonly retentionMs: number;
  /** Copies of each stream in a NATS cluster (1 on a single server). */
  readonly replicas: number;
  /**
   * How long to keep trying to create a stream when the server does not answer: requests sent
   * while reconnecting are lost, and JetStream answers late just after a restart.
   */
  readonly createTimeoutMs: number;
}

/** A topic's stream as it exists on the server. */
export interface TopicStream extends TopicNames {
  /**
   * When the stream was created: a different value means the stream was lost and made again (a
   * memory stream after a server restart), so its sequence numbers started over.
   */
  readonly created: string;
}

export interface TopicStreams {
  /** The stream of `topic`, once it exists with the current settings. */
  ensure(topic: TopicSpec): Promise<TopicStream>;
  /** Forgets that `topic`'s stream exists, so the next `ensure` checks the server again. */
  forget(topic: TopicSpec): void;
}

export function createTopicStreams(jsm: JetStreamManager, settings: TopicStreamSettings): TopicStreams {
  const known = new Map<string, Promise<TopicStream>>();
  return {
    ensure(topic) {
      let p = known.get(topic.name);
      if (!p) {
        p = createStream(jsm, settings, topic);
        known.set(topic.name, p);
        // A failure (NATS down) must not be cached: the next publish tries again.
        p.catch(() => known.delete(topic.name));
      }
      return p;
    },
    forget(topic) {
      known.delete(topic.name);
    },
  };
}

/** The stream configuration a topic gets. */
export function streamConfig(settings: TopicStreamSettings, topic: TopicSpec): StreamConfig {
  const names = topicNames(settings.prefix, topic);
  const maxAgeMs = topic.ephemeral ? topic.ephemeral.maxAgeMs : settings.retentionMs;
  return {
    name: names.stream,
    subjects: [names.subjects],
    storage: topic.ephemeral ? StorageType.Memory : StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(maxAgeMs),
    duplicate_window: nanos(maxAgeMs > 0 ? Math.min(DUPLICATE_WINDOW_MS, maxAgeMs) : DUPLICATE_WINDOW_MS),
    num_replicas: settings.replicas,
  } as StreamConfig;
}

async function createStream(jsm: JetStreamManager, settings: TopicStreamSettings, topic: TopicSpec): Promise<TopicStream> {
  const cfg = streamConfig(settings, topic);
  const deadline = Date.now() + settings.createTimeoutMs;
  for (let wait = 100; ; wait = Math.min(1000, wait * 2)) {
    try {
      return { ...topicNames(settings.prefix, topic), created: (await addOrUpdate(jsm, cfg)).created };
    } catch (e) {
      const unanswered = e instanceof TimeoutError || e instanceof RequestError || e instanceof NoRespondersError;
      if (!unanswered || Date.now() + wait > deadline) throw e;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function addOrUpdate(jsm: JetStreamManager, cfg: StreamConfig): Promise<StreamInfo> {
  try {
    // Creating is idempotent when the stream exists with the same configuration.
    return await jsm.streams.add(cfg);
  } catch (e) {
    if (!(e instanceof JetStreamApiError && e.code === STREAM_NAME_IN_USE)) throw e;
    // Settings changed since the stream was made (retention, max age): bring it up to date.
    const { name, ...update } = cfg;
    return jsm.streams.update(name, update);
  }
}
