import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { THUMB_MAX_SIDE } from './files.model.js';

export interface ImageInfo {
  width: number;
  height: number;
  thumb: { data: Buffer; type: string } | null;
}

/**
 * Dimensions (as displayed, EXIF orientation applied) and a thumbnail of at most THUMB_MAX_SIDE
 * pixels, read from a stream of the stored image. Null when sharp cannot read it.
 */
export async function readImage(input: Readable, type: string): Promise<ImageInfo | null> {
  const source = sharp({ limitInputPixels: 100_000_000, failOn: 'error', animated: false });
  const meta = source.clone().metadata();
  const thumbType = type === 'image/jpeg' ? 'image/jpeg' : 'image/png';
  const resized = source.clone().rotate().resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: 'inside', withoutEnlargement: true });
  const thumb = (thumbType === 'image/jpeg' ? resized.jpeg({ quality: 80 }) : resized.png()).toBuffer();
  input.on('error', (err) => source.destroy(err));
  input.pipe(source);
  try {
    const [m, data] = await Promise.all([meta, thumb]);
    const width = m.autoOrient?.width ?? m.width;
    const height = m.autoOrient?.height ?? m.height;
    if (!width || !height) return null;
    return { width, height, thumb: { data, type: thumbType } };
  } catch {
    input.destroy();
    return null;
  }
}
