import type { Db } from 'mongodb';
import type { PushBatchResult } from '@obmeet/contracts';
import type { Clock } from '../clock.js';
import { EventBus } from '../events/bus.js';
import { AccountsService, AccountsStore, accountIndexes } from '../domains/accounts/index.js';
import { MessagesService, MessagesStore, messageIndexes } from '../domains/messages/index.js';
import { RoomsService, RoomsStore, roomIndexes } from '../domains/rooms/index.js';
import { SettingsService, SettingsStore } from '../domains/settings/index.js';
import { builtinCommands, CommandsService } from '../domains/commands/index.js';
import { IntegrationsService, IntegrationsStore, integrationIndexes } from '../domains/integrations/index.js';
import { FilesService, FilesStore } from '../domains/files/index.js';
import { SearchService, SearchStore } from '../domains/search/index.js';
import { LocationService } from '../domains/location/index.js';
import { PushService, PushStore, pushIndexes } from '../domains/push/index.js';
import { CloudLinkService, CloudLinkStore, cloudlinkIndexes, EgressClient, SecretBox } from '../domains/cloudlink/index.js';
import { randomBytes } from 'node:crypto';
import { StatisticsService, StatisticsStore } from '../domains/statistics/index.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { defaultMeetingsOptions, meetCommand, meetingIndexes, MeetingsService, MeetingsStore, type MeetingsOptions } from '../domains/meetings/index.js';
import { meetingsPortOf } from '../domains/meetings/index.js';
import { CalendarStore, MeetingsCalendarService } from '../domains/meetings/meetings.calendar.js';
import { MeetingsRecordingsService, RecordingsStore } from '../domains/meetings/meetings.recordings.js';
import { JanusSfu } from '../domains/meetings/meetings.sfu.js';
import type { Logger } from '../logger.js';

export interface WorkspaceOptions {
  /** stable id of the workspace: 'default' when self-managed, the tenant id when hosted */
  id: string;
  clock: Clock;
  login: { perIpPerMinute: number; failuresPerUser: number; sessionTtlDays: number };
  /** for background work that has no request to report to (outgoing webhooks) */
  logger?: Logger;
  /**
   * The vendor cloud link: its address (config CLOUD_URL) and the key that seals stored secrets.
   * Without it (tests that do not touch the cloud) the default address and a per-process key are used.
   */
  cloud?: { url: string; timeoutMs: number; secretsKey: Buffer };
  /** OBMeet version (info page, statistics document) */
  version?: string;
  deploymentMode?: 'self-managed' | 'hosted';
  /** ICE servers, grace period, mesh limit, site address for meeting links (config MEETINGS_*) */
  meetings?: Partial<MeetingsOptions>;
}

const DEFAULT_CLOUD_URL = 'https://cloud.obmeet.org';

const allIndexes = [...accountIndexes, ...roomIndexes, ...messageIndexes, ...integrationIndexes, ...pushIndexes, ...cloudlinkIndexes, ...meetingIndexes];

/**
 * The composition root of one workspace: its database, event bus and services. Nothing in the
 * server holds a database handle or a model at module level, so one process can serve many
 * workspaces, each with its own database (architecture rule 3).
 */
export class Workspace {
  readonly events = new EventBus();
  readonly settings: SettingsService;
  readonly accounts: AccountsService;
  readonly rooms: RoomsService;
  readonly messages: MessagesService;
  readonly commands: CommandsService;
  readonly integrations: IntegrationsService;
  readonly files: FilesService;
  readonly search: SearchService;
  readonly location: LocationService;
  readonly push: PushService;
  /** registration with the vendor cloud and the outbound data log */
  readonly cloud: CloudLinkService;
  /** THE only way to the vendor cloud: logs every call before sending, refuses while unregistered */
  readonly egress: EgressClient;
  /** the one builder of the info page and the statistics document; statistics sharing */
  readonly statistics: StatisticsService;
  /** background jobs on the injected clock (server.ts starts its timer; tests call runDue()) */
  readonly scheduler: Scheduler;
  /** meetings: /meet, joining, moderation, records */
  readonly meetings: MeetingsService;
  /** meeting .ics files, the private calendar feed, CSV export of records */
  readonly meetingsCalendar: MeetingsCalendarService;
  /** meeting recordings uploaded in chunks into the file storage */
  readonly meetingsRecordings: MeetingsRecordingsService;

  private constructor(
    readonly id: string,
    readonly db: Db,
    readonly clock: Clock,
    options: WorkspaceOptions,
  ) {
    this.settings = new SettingsService(new SettingsStore(db), clock);
    this.accounts = new AccountsService(new AccountsStore(db), this.settings, this.events, clock, options.login);
    this.rooms = new RoomsService(new RoomsStore(db), this.accounts, this.events, clock);
    this.messages = new MessagesService(new MessagesStore(db), this.rooms, this.accounts, this.settings, this.events, clock);
    this.commands = new CommandsService(this.rooms, this.messages, this.events, clock);
    for (const def of builtinCommands(this)) this.commands.register({ ...def, owner: 'builtin' });
    this.integrations = new IntegrationsService(
      new IntegrationsStore(db), this.rooms, this.messages, this.accounts, this.settings, this.events, clock, { logger: options.logger },
    );
    this.files = new FilesService(new FilesStore(db), this.rooms, this.messages, this.settings, clock, options.logger);
    this.search = new SearchService(new SearchStore(db), this.rooms, this.messages, this.accounts, options.logger);
    this.location = new LocationService(this.messages, this.settings);
    const cloudOpts = options.cloud ?? { url: DEFAULT_CLOUD_URL, timeoutMs: 15_000, secretsKey: randomBytes(32) };
    const cloudStore = new CloudLinkStore(db);
    this.cloud = new CloudLinkService(cloudStore, new SecretBox(cloudOpts.secretsKey), clock, cloudOpts.url);
    this.egress = new EgressClient({
      cloudUrl: cloudOpts.url,
      timeoutMs: cloudOpts.timeoutMs,
      clock,
      store: cloudStore,
      credentials: () => this.cloud.credentials(),
      statisticsSharingOn: () => this.settings.get('statistics.sharing'),
      onCredentialsRejected: () => this.cloud.markRevoked(),
      logger: options.logger,
    });
    this.cloud.attachEgress(this.egress);
    // unregistering stops everything at once: statistics too, even though anonymous sharing exists;
    // the admin switches it on again knowingly if they want it without a registration
    this.cloud.unregisteredHooks.push(() => this.settings.set('statistics.sharing', false));
    this.statistics = new StatisticsService(new StatisticsStore(db), this.settings, this.cloud, this.egress, clock, {
      version: options.version ?? '0.0.0',
      deploymentMode: options.deploymentMode ?? 'self-managed',
      logger: options.logger,
    });
    this.scheduler = new Scheduler(clock, options.logger);
    // daily rollup of the message figures and chart series (reads every message once)
    this.scheduler.add({ name: 'statistics.rollup', everyMs: 24 * 3_600_000, firstAfterMs: 3_600_000, run: async () => void (await this.statistics.rollup()) });
    // hourly check; sends only while sharing is on and the last document is a day old
    this.scheduler.add({ name: 'statistics.send', everyMs: 3_600_000, run: async () => void (await this.statistics.sendIfDue()) });
    this.push = new PushService(new PushStore(db), this.rooms, this.messages, this.settings, this.events, clock, { logger: options.logger });
    this.meetings = new MeetingsService(new MeetingsStore(db), this.rooms, this.messages, this.accounts, this.settings, clock, {
      ...defaultMeetingsOptions,
      ...options.meetings,
    });
    if (options.meetings?.janusUrl) this.meetings.sfu = new JanusSfu(options.meetings.janusUrl, options.meetings.janusApiSecret, options.logger);
    this.commands.register({ ...meetCommand(this.meetings), owner: 'meetings' });
    // meetings with nobody in them end after the grace period (checked often, so the end is close to it)
    this.scheduler.add({ name: 'meetings.endAbandoned', everyMs: 15_000, run: async () => void (await this.meetings.endAbandoned()) });
    const meetingsPort = meetingsPortOf(this.meetings, this.accounts, this.rooms, clock);
    // feed tokens are sealed with the secrets key (the owner can be shown their address again)
    this.meetingsCalendar = new MeetingsCalendarService(new CalendarStore(db), meetingsPort, this.settings, new SecretBox(cloudOpts.secretsKey), clock);
    this.meetingsRecordings = new MeetingsRecordingsService(new RecordingsStore(db), meetingsPort, this.files, this.rooms, this.settings, clock, options.logger);
    // a recording whose recorder went away (closed tab) is finished with what arrived
    this.scheduler.add({ name: 'meetings.recordings.finishStale', everyMs: 60_000, run: async () => void (await this.meetingsRecordings.finishStale()) });
    // pushes leave only through the egress client: logged first, refused while unregistered
    const egress = this.egress;
    this.push.gateway = {
      isAvailable: () => egress.isRegistered(),
      send: (body) => egress.request<PushBatchResult>({ purpose: 'push', method: 'POST', path: '/api/v1/push/send', body }),
    };
  }

  static async open(db: Db, options: WorkspaceOptions): Promise<Workspace> {
    for (const ix of allIndexes) {
      await db.collection(ix.collection).createIndex(ix.key, { unique: ix.unique, name: ix.name });
    }
    return new Workspace(options.id, db, options.clock, options);
  }
}
