import { z } from 'zod';
import { Id, Paging } from './common.js';

/** The text fields of `POST /api/v1/rooms.upload/:rid` (multipart/form-data; the file part is `file`). */
export const UploadFields = z
  .object({
    msg: z.string().max(100_000).optional(),
    /** reply in this thread */
    tmid: Id.optional(),
    /** a thread reply also shown in the room */
    tshow: z.enum(['true', 'false']).optional(),
    /** shown instead of the file's own name */
    description: z.string().max(1000).optional(),
  })
  .strict();
export type UploadFields = z.infer<typeof UploadFields>;

export const UploadRoomParam = z.object({ rid: Id });
export const FileDownloadParams = z.object({ fileId: Id, name: z.string().max(1000).optional() });
export const RoomFilesQuery = Paging.extend({ roomId: Id });
export const UserFilesQuery = Paging;

/** What a message carries about its file. */
export interface MessageFile {
  _id: string;
  name: string;
  /** the type detected from the bytes (never the client's claim) */
  type: string;
  size: number;
}

/** An uploaded file as listed by rooms.files / users.files. */
export interface FileDto {
  _id: string;
  rid: string;
  msgId?: string;
  name: string;
  type: string;
  size: number;
  userId: string;
  username: string;
  uploadedAt: string;
  /** `/file-upload/<id>/<name>`: needs the session cookie or the auth headers */
  url: string;
  /** images only */
  identify?: { size: { width: number; height: number } };
  thumbUrl?: string;
}
