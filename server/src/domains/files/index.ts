export { FilesService, type IncomingFile, type UploadSource, type FileDownload } from './files.service.js';
export { FilesStore } from './files.store.js';
export { presentFile } from './files.present.js';
export { fileIndexes, fileCollections } from './files.model.js';
