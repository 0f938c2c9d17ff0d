import type { Request } from 'express';
import busboy from 'busboy';
import { ErrorCodes } from '@obmeet/contracts';
import { AppError, Errors } from '../errors.js';
import type { IncomingFile, UploadSource } from '../domains/files/index.js';

/**
 * A streamed multipart/form-data body (busboy): the part named `file` is handed to the consumer
 * as a stream while it arrives (never buffered whole); other file parts are skipped; text fields
 * are returned at the end. busboy stops passing file data after `maxFileBytes` + 1 bytes, so an
 * oversized upload is cut while streaming; the rest of the body is read and discarded.
 */
export function multipartSource(req: Request): UploadSource {
  return {
    read: (onFile, limits) =>
      new Promise((resolve, reject) => {
        let bb: busboy.Busboy;
        try {
          bb = busboy({
            headers: req.headers,
            defParamCharset: 'utf8',
            limits: { files: 1, fields: 20, parts: 25, fieldSize: 256 * 1024, fileSize: limits.maxFileBytes + 1 },
          });
        } catch {
          reject(new AppError(ErrorCodes.invalidInput, 'Expected a multipart/form-data body', 400));
          return;
        }
        const fields: Record<string, string> = {};
        let filePromise: Promise<void> | null = null;
        let done = false;
        const fail = (err: unknown) => {
          if (done) return;
          done = true;
          req.unpipe(bb);
          req.resume(); // read and drop the rest so the client receives the answer
          reject(err);
        };
        bb.on('field', (name, value, info) => {
          if (info.valueTruncated) return fail(Errors.invalid(`Field ${name} is too long`));
          if (Object.prototype.hasOwnProperty.call(fields, name) || name === '__proto__') return fail(Errors.invalid(`Duplicate field ${name}`));
          fields[name] = value;
        });
        bb.on('file', (name, stream, info) => {
          if (name !== 'file' || filePromise || done) {
            stream.resume();
            return;
          }
          const file: IncomingFile = { stream, filename: info.filename ?? '', mimeType: info.mimeType ?? '' };
          filePromise = onFile(file).catch((err: unknown) => {
            stream.resume();
            fail(err);
          });
        });
        bb.on('error', (err) => fail(err instanceof AppError ? err : Errors.invalid('Malformed multipart body')));
        bb.on('close', () => {
          void (async () => {
            if (filePromise) await filePromise;
            if (done) return;
            done = true;
            resolve({ fields, hadFile: filePromise !== null });
          })();
        });
        req.on('aborted', () => fail(Errors.invalid('The upload was interrupted')));
        req.on('error', () => fail(Errors.invalid('The upload was interrupted')));
        req.pipe(bb);
      }),
  };
}
