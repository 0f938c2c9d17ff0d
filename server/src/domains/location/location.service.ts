import type { MessageDto } from '@obmeet/contracts';
import type { Actor } from '../accounts/index.js';
import type { MessagesService } from '../messages/index.js';
import type { SettingsService } from '../settings/index.js';
import { LocationPolicy } from './location.policy.js';
import { openStreetMapUrl } from './location.present.js';

/** Location sharing: off unless the admin enables `location.sharingEnabled`. Stores nothing of its own. */
export class LocationService {
  constructor(
    private readonly messages: MessagesService,
    private readonly settings: SettingsService,
  ) {}

  async share(actor: Actor, input: { roomId: string; latitude: number; longitude: number; accuracy?: number; tmid?: string }): Promise<MessageDto> {
    LocationPolicy.assertEnabled(await this.settings.get('location.sharingEnabled'));
    const lat = Math.round(input.latitude * 1e6) / 1e6;
    const lng = Math.round(input.longitude * 1e6) / 1e6;
    const accuracy = input.accuracy === undefined ? undefined : Math.round(input.accuracy);
    return this.messages.send(actor, {
      rid: input.roomId,
      msg: '',
      ...(input.tmid ? { tmid: input.tmid } : {}),
      location: { lat, lng, ...(accuracy !== undefined ? { accuracy } : {}) },
      attachments: [
        {
          title: 'Shared location',
          title_link: openStreetMapUrl(lat, lng),
          text: `${lat.toFixed(5)}, ${lng.toFixed(5)}${accuracy !== undefined ? ` (±${accuracy} m)` : ''}`,
        },
      ],
    });
  }
}
