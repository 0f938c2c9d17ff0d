import type { MessageDto } from '@obmeet/contracts';
import { post } from './http';

type Ok<T> = { success: true } & T;

export const locationApi = {
  share: (body: { roomId: string; latitude: number; longitude: number; accuracy?: number; tmid?: string }) =>
    post<Ok<{ message: MessageDto }>>('chat.shareLocation', body),
};
