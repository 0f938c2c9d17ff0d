/**
 * What the meeting screens show, independent of the wire format: meetingClient.ts turns
 * the server's contract (REST + socket events) into these shapes.
 */
export interface MeetingParticipantView {
  /** one per join (a reconnecting tab is a new participant id); peers are keyed by it */
  id: string;
  userId?: string;
  username?: string;
  name: string;
  guest: boolean;
  moderator: boolean;
  audio: boolean;
  video: boolean;
}

export interface LobbyGuestView {
  id: string;
  name: string;
  email?: string;
}

export interface MeetingView {
  id: string;
  title: string;
  rid: string;
  /** the meeting message; its thread is the in-meeting chat */
  messageId?: string;
  status: 'scheduled' | 'live' | 'ended' | 'cancelled';
  startedByName?: string;
  locked: boolean;
  recording: boolean;
  recordingAllowed: boolean;
  guestsAllowed: boolean;
  /** peer-to-peer, or through the SFU once over the mesh limit (with Janus configured) */
  media: 'mesh' | 'sfu';
  participants: MeetingParticipantView[];
  lobby: LobbyGuestView[];
  /** true when I may moderate (set after joining) */
  iAmModerator: boolean;
}

export type JoinOutcome =
  | { kind: 'joined'; selfId: string; iceServers: RTCIceServer[]; video: boolean; meeting: MeetingView }
  | { kind: 'lobby'; meeting?: MeetingView }
  | { kind: 'refused'; reason: RefusalReason; message: string; audioOnlyPossible: boolean };

export type RefusalReason = 'locked' | 'full' | 'ended' | 'removed' | 'denied' | 'forbidden' | 'not-found' | 'guests-not-allowed' | 'error';

export function refusalText(reason: RefusalReason, serverMessage?: string): string {
  switch (reason) {
    case 'locked':
      return 'A moderator has locked this meeting: nobody else can join right now.';
    case 'full':
      return 'This meeting already has the most video participants a peer-to-peer meeting can carry (6). You can still join with audio only.';
    case 'ended':
      return 'This meeting has ended.';
    case 'removed':
      return 'A moderator removed you from this meeting.';
    case 'denied':
      return 'A moderator did not let you in.';
    case 'forbidden':
      return 'You are not allowed to join this meeting.';
    case 'not-found':
      return 'This meeting does not exist, or the link is wrong.';
    case 'guests-not-allowed':
      return 'This meeting does not accept guests. Sign in to join.';
    default:
      return serverMessage ?? 'Could not join the meeting.';
  }
}
