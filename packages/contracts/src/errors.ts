/** Stable error codes: the `errorType` of every failed REST call and socket ack. */
export const ErrorCodes = {
  invalidInput: 'error-invalid-params',
  unauthorized: 'error-unauthorized',
  forbidden: 'error-not-allowed',
  notFound: 'error-not-found',
  conflict: 'error-conflict',
  duplicateName: 'error-duplicate-channel-name',
  usernameTaken: 'error-username-taken',
  emailTaken: 'error-email-taken',
  invalidCredentials: 'error-invalid-credentials',
  rateLimited: 'error-too-many-requests',
  registrationClosed: 'error-registration-closed',
  invalidInvite: 'error-invalid-invite',
  payloadTooLarge: 'error-payload-too-large',
  messageTooLong: 'error-message-size-exceeded',
  emptyMessage: 'error-empty-message',
  roomArchived: 'error-room-archived',
  roomReadOnly: 'error-room-read-only',
  userDeactivated: 'error-user-deactivated',
  notMember: 'error-not-member',
  unsupportedMediaType: 'error-unsupported-media-type',
  locationDisabled: 'error-location-disabled',
  internal: 'error-internal',
  workspaceNotRegistered: 'error-workspace-not-registered',
  workspaceAlreadyRegistered: 'error-workspace-already-registered',
  cloudUnreachable: 'error-cloud-unreachable',
  cloudRejected: 'error-cloud-rejected',
  meetingLocked: 'error-meeting-locked',
  meetingFull: 'error-meeting-full',
  /** the SFU is not reachable, or the feed asked for is not published (yet) */
  meetingMediaUnavailable: 'error-meeting-media-unavailable',
  meetingEnded: 'error-meeting-ended',
  meetingRemoved: 'error-meeting-removed',
  meetingGuestsNotAllowed: 'error-meeting-guests-not-allowed',
  meetingNotFound: 'error-meeting-not-found',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorBody {
  success: false;
  error: string;
  errorType: ErrorCode;
  details?: unknown;
}
