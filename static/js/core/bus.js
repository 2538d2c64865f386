/**
 * A tiny publish/subscribe bus: the socket publishes what the server says, the interface
 * listens, and neither knows the other.
 */

/**
 * @typedef {object} Bus
 * @property {(type: string, handler: (payload: any) => void) => () => void} on
 *   Listen to one event type; returns a function that stops listening.
 * @property {(type: string, payload?: any) => void} emit  Call every handler of that type.
 */

/**
 * Create an event bus.
 * @returns {Bus}
 */
export function createBus() {
  const handlers = new Map();

  function on(type, handler) {
    if (!handlers.has(type)) handlers.set(type, new Set());
    handlers.get(type).add(handler);
    return () => handlers.get(type).delete(handler);
  }

  function emit(type, payload) {
    for (const handler of handlers.get(type) ?? []) handler(payload);
  }

  return { on, emit };
}
