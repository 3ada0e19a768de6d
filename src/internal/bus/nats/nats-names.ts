/**
 * How bus names map onto JetStream: one stream per topic (`<prefix>_<topic>`) holding the
 * subjects `<prefix>.<topic>.<token>`, one subject per ordering key. The token is the key in
 * unpadded base64url, so it is a valid subject token whatever the key holds (`.`, `*`, `>`,
 * spaces) and two keys never share a subject.
 */
import type { TopicSpec } from '../bus.js';

const NAME = /^[A-Za-z0-9_-]+$/;

/** The names one topic uses on the server. */
export interface TopicNames {
  /** The stream storing the topic, e.g. `axon_OutputRoomEvent`. */
  readonly stream: string;
  /** The wildcard the stream listens on, e.g. `axon.OutputRoomEvent.*`. */
  readonly subjects: string;
  /** The subject a message with this key is published on. */
  subject(key: string): string;
}

/** Throws unless `name` is a valid prefix, topic or consumer name (letters, digits, `_`, `-`). */
export function assertName(kind: string, name: string): void {
  if (!NAME.test(name)) throw new TypeError(`invalid bus ${kind} name ${JSON.stringify(name)}: letters, digits, _ and - only`);
}

/** The stream and subjects of `topic` under `prefix`. */
export function topicNames(prefix: string, topic: TopicSpec): TopicNames {
  assertName('topic', topic.name);
  const base = `${prefix}.${topic.name}`;
  return {
    stream: `${prefix}_${topic.name}`,
    subjects: `${base}.*`,
    subject: (key) => `${base}.${keyToken(key)}`,
  };
}

/**
 * The subject token of an ordering key. base64url never yields one character, so `_` for the
 * empty key cannot collide with a real key.
 */
export function keyToken(key: string): string {
  return key === '' ? '_' : Buffer.from(key, 'utf8').toString('base64url');
}
