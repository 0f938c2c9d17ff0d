export { MeetingsService, defaultMeetingsOptions, type MeetingsOptions, type MeetingsSink, type MeetingIdentity } from './meetings.service.js';
export { MeetingsStore } from './meetings.store.js';
export { meetingIndexes, type MeetingDoc } from './meetings.model.js';
export { meetCommand } from './meetings.command.js';
export { meetingsPortOf } from './meetings.adapter.js';
export { joinPath, presentMeeting } from './meetings.present.js';
