export { FilesService, type IncomingFile, type UploadSource, type FileDownload } from './files.service.js';
export { FilesStore } from './files.store.js';
export { presentFile } from './files.present.js';
export { fileIndexes, fileCollections } from './files.model.js';
export type { BlobStorage } from './files.storage.js';
export type { StoredAt } from './files.model.js';
export { FilePolicy } from './files.policy.js';
export { contentDisposition } from './files.types.js';
