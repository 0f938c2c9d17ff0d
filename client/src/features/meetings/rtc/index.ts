/** The WebRTC mesh engine's public surface (also what the engine browser test bundles). */
export { MeshEngine, LOCAL_ID, type MeshOptions, type MeshSnapshot, type RemoteView, type MediaMode } from './mesh';
export { SfuPublisher, SfuSubscriber, type SfuSignalling } from './sfu';
export { PeerLink, type PeerState } from './peer';
export { SpeakerDetector } from './speaker';
export type { SignalPayload, SignalTransport } from './transport';
export { inboundSummary, localCandidates, selectedPair } from './stats';
export { MeetingRecorder, CHUNK_MS, type ChunkUploader, type RecordingSource } from './recorder';
