import type { Db } from 'mongodb';
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
import type { Logger } from '../logger.js';

export interface WorkspaceOptions {
  /** stable id of the workspace: 'default' when self-managed, the tenant id when hosted */
  id: string;
  clock: Clock;
  login: { perIpPerMinute: number; failuresPerUser: number; sessionTtlDays: number };
  /** for background work that has no request to report to (outgoing webhooks) */
  logger?: Logger;
}

const allIndexes = [...accountIndexes, ...roomIndexes, ...messageIndexes, ...integrationIndexes];

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
  }

  static async open(db: Db, options: WorkspaceOptions): Promise<Workspace> {
    for (const ix of allIndexes) {
      await db.collection(ix.collection).createIndex(ix.key, { unique: ix.unique, name: ix.name });
    }
    return new Workspace(options.id, db, options.clock, options);
  }
}
