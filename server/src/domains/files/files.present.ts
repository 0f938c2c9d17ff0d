import type { FileDto } from '@obmeet/contracts';
import type { FileDoc } from './files.model.js';

export const fileUrl = (f: Pick<FileDoc, '_id' | 'name'>) => `/file-upload/${f._id}/${encodeURIComponent(f.name)}`;
export const thumbUrl = (f: Pick<FileDoc, '_id' | 'name'>) => `${fileUrl(f)}?thumb=1`;

export function presentFile(f: FileDoc): FileDto {
  return {
    _id: f._id,
    rid: f.rid,
    msgId: f.msgId,
    name: f.name,
    type: f.type,
    size: f.size,
    userId: f.userId,
    username: f.username,
    uploadedAt: f.uploadedAt.toISOString(),
    url: fileUrl(f),
    ...(f.image ? { identify: { size: { width: f.image.width, height: f.image.height } } } : {}),
    ...(f.thumb ? { thumbUrl: thumbUrl(f) } : {}),
  };
}
