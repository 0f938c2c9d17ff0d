// The part of janode (the Janus client by Meetecho, plain JavaScript) that meetings.sfu.ts uses.
declare module 'janode' {
  export interface JanodeHandle {
    on(event: string, listener: (data: unknown) => void): void;
    detach(): Promise<void>;
  }
  export interface JanodeSession {
    attach<H extends JanodeHandle>(plugin: unknown): Promise<H>;
    destroy(): Promise<void>;
  }
  export interface JanodeConnection {
    create(): Promise<JanodeSession>;
    close(): Promise<void>;
    once(event: string, listener: (data: unknown) => void): void;
  }
  const Janode: {
    connect(config: { is_admin?: boolean; address: { url: string; apisecret?: string } | Array<{ url: string; apisecret?: string }>; retry_time_secs?: number; max_retries?: number }): Promise<JanodeConnection>;
    EVENT: Record<string, string>;
    Logger: { setLevel(level: string): void };
  };
  export default Janode;
}

declare module 'janode/plugins/videoroom' {
  import type { JanodeHandle } from 'janode';
  type Jsep = { type: 'offer' | 'answer'; sdp: string };
  export interface VideoRoomHandle extends JanodeHandle {
    create(o: { room: number; description?: string; max_publishers?: number; audiocodec?: string; videocodec?: string; notify_joining?: boolean }): Promise<{ room: number }>;
    exists(o: { room: number }): Promise<{ room: number; exists: boolean }>;
    destroy(o: { room: number }): Promise<unknown>;
    listParticipants(o: { room: number }): Promise<{ room: number; participants: Array<{ feed: number; display?: string; publisher: boolean }> }>;
    joinConfigurePublisher(o: { room: number; feed: number; display?: string; audio?: boolean; video?: boolean; jsep: Jsep }): Promise<{ jsep?: Jsep }>;
    joinSubscriber(o: { room: number; feed: number }): Promise<{ jsep?: Jsep }>;
    start(o: { jsep: Jsep }): Promise<unknown>;
    leave(): Promise<unknown>;
  }
  const VideoRoomPlugin: { EVENT: Record<string, string> };
  export default VideoRoomPlugin;
}
