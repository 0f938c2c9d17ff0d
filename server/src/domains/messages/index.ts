export { MessagesService, type SendInput, type MessageHooks } from './messages.service.js';
export { MessagesStore } from './messages.store.js';
export { presentMessage } from './messages.present.js';
export { messageIndexes, SEGMENT_SIZE } from './messages.model.js';
export { sanitizeAttachments, safeHttpUrl, type UploadedFileInput } from './messages.attachments.js';
