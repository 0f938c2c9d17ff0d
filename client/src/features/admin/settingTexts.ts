/**
 * Human labels for the admin settings page. The page itself is generated from the server's
 * registry (types, limits, choices); a setting missing here still shows, under its key.
 */
export const SECTION_TITLES: Record<string, string> = {
  site: 'Workspace',
  accounts: 'Accounts',
  messages: 'Messages',
  files: 'File uploads',
  location: 'Location sharing',
  meetings: 'Meetings',
  integrations: 'Integrations',
  push: 'Push notifications',
  statistics: 'Statistics',
  cloud: 'Cloud',
  retention: 'Retention',
};

export const SETTING_TEXTS: Record<string, { label: string; help?: string; choices?: Record<string, string> }> = {
  'site.name': { label: 'Workspace name', help: 'Shown in the browser title and on the login page.' },
  'accounts.registration': {
    label: 'Who can create an account',
    choices: { open: 'Anyone who can reach the server', invite: 'Only people with an invitation', closed: 'Nobody: administrators create accounts' },
  },
  'messages.maxLength': { label: 'Longest message (characters)' },
  'messages.editWindowMinutes': { label: 'Editing allowed for (minutes)', help: '0 means messages can always be edited.' },
  'integrations.allowedHosts': {
    label: 'Hosts outgoing webhooks may reach on private networks',
    help: 'Comma-separated host names. Other private and loopback addresses stay blocked.',
  },
  'files.maxSizeBytes': { label: 'Largest upload (bytes)' },
  'files.allowedTypes': { label: 'Allowed file types', help: 'Comma-separated MIME patterns such as image/*, application/pdf. Empty allows every type that is not blocked.' },
  'files.blockedTypes': { label: 'Blocked file types', help: 'Comma-separated MIME patterns, checked on the detected type.' },
  'files.storage': {
    label: 'Where new uploads are stored',
    choices: { database: 'In the workspace database (backed up with it)', disk: 'In a directory on the server' },
  },
  'files.diskPath': { label: 'Upload directory', help: 'Absolute path, used when uploads are stored in a directory.' },
  'push.contentMode': {
    label: 'What a push notification may carry',
    help: 'Pushes go through the vendor’s gateway. With “only an id” the device fetches the message from this server itself.',
    choices: { full: 'The full message text', sender: 'Sender and room name only', id: 'Only an id' },
  },
  'meetings.recording.allowed': {
    label: 'Allow recording meetings',
    help: 'Moderators can then record a meeting in their browser; everyone in it is told. Recordings go to the file storage and count against the largest upload size.',
  },
  'location.sharingEnabled': { label: 'Allow sharing a location in messages', help: 'Members can post their position with a link to OpenStreetMap.' },
};

export function sectionTitle(section: string): string {
  return SECTION_TITLES[section] ?? section.charAt(0).toUpperCase() + section.slice(1);
}

export function settingLabel(key: string): string {
  return SETTING_TEXTS[key]?.label ?? key;
}
