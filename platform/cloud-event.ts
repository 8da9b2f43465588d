/**
 * The CloudEvents 1.0 structured-mode JSON envelope of a platform event
 * (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md §3: the
 * event is the JSON body, sent with `Content-Type: application/cloudevents+json`).
 */

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';
/** `source`: a URI-reference naming the producer (spec.md#source-1); one platform, one source. */
export const EVENT_SOURCE = '/kaas';

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

/** The stored event fields the envelope is built from. */
export interface StoredEvent {
  id: string;
  type: string;
  subject: string;
  time: Date;
  data: Record<string, unknown>;
}

/** The envelope of `event`; its `id` is the event's, so a redelivery carries the same id (receivers deduplicate on it). */
export function toCloudEvent(event: StoredEvent, source = EVENT_SOURCE): CloudEvent {
  return { specversion: '1.0', id: event.id, source, type: event.type, subject: event.subject, time: event.time.toISOString(), datacontenttype: 'application/json', data: event.data };
}
