import { z } from 'zod';
import { Id } from './common.js';

export const ShareLocationBody = z
  .object({
    roomId: Id,
    latitude: z.number().finite().min(-90).max(90),
    longitude: z.number().finite().min(-180).max(180),
    /** metres */
    accuracy: z.number().finite().min(0).max(1_000_000).optional(),
    tmid: Id.optional(),
  })
  .strict();
export type ShareLocationBody = z.infer<typeof ShareLocationBody>;

export interface MessageLocation {
  lat: number;
  lng: number;
  accuracy?: number;
}
