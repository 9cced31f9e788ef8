// Public API of the tick stream on NATS JetStream: the recorder's publisher output and the store consumer.
export { TICK_STREAM, tickSubject, type TickStreamSettings } from './jetstream';
export { StreamPublisher, type StreamPublisherOptions } from './publisher';
export { startStoreConsumer, consumerHealthFileName, type StoreConsumer, type StoreConsumerHealth, type StoreConsumerOptions } from './consumer';
export { encodeTickBatch, decodeTickBatch, batchMessageId, toBatches, type TickBatch } from './tick-codec';
export { startStreamMirror, type StreamMirror, type StreamMirrorHealth, type StreamMirrorOptions } from './live-mirror';
