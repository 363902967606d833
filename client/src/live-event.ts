import type { RoomEvent, RoomEventType } from '../../src/realtime/event-map.js';

/** A numbered room event as the client handles it, discriminated by `type`. */
export type LiveEvent = { [K in RoomEventType]: RoomEvent<K> }[RoomEventType];
