/**
 * What the mesh engine needs from signalling, and nothing more: send a payload to one
 * participant, hear payloads addressed to us. The meeting page adapts socket.io to it, so
 * the engine does not know event names and can be driven by any relay (a test, a channel).
 */
export interface SignalPayload {
  /** the offerer's connection session the signal belongs to (see PeerLink) */
  session?: string;
  description?: RTCSessionDescriptionInit;
  /** null is the end-of-candidates marker */
  candidate?: RTCIceCandidateInit | null;
}

export interface SignalTransport {
  send(to: string, payload: SignalPayload): void;
  /** Returns an unsubscribe function. */
  onSignal(handler: (from: string, payload: SignalPayload) => void): () => void;
}
