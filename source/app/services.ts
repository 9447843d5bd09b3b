import {AccountsService} from '../accounts/accounts-service.js';
import {AlertService} from '../alerts/alert-service.js';
import {ErrorsSubscription} from '../accounts/errors-subscription.js';
import {QuotaPoller} from '../accounts/quota-poller.js';
import {CpaClient, type CpaClientOptions} from '../cliproxy/client.js';
import type {CollectorBackend} from '../collector/backend.js';
import {Collector, type BackendFactories} from '../collector/collector.js';
import {CollectorGroup} from '../collector/collector-group.js';
import {EventBus} from '../collector/event-bus.js';
import {LegacyBackend} from '../collector/legacy-backend.js';
import {QueueBackend} from '../collector/queue-backend.js';
import {RecordSink} from '../collector/record-sink.js';
import {RespBackend, type RespBackendDeps} from '../collector/resp-backend.js';
import {StarvationWatch} from '../collector/starvation-watch.js';
import {readQueuePage} from '../collector/queue-backend.js';
import {Spool} from '../collector/spool.js';
import {StoreGuard} from '../collector/store-guard.js';
import {gapMessage} from '../core/cpa/gap-ledger.js';
import {readRespItems} from '../core/cpa/resp-message.js';
import {respEndpoint} from '../cliproxy/resp-connection.js';
import type {Config} from '../core/config.js';
import type {Pricer} from '../core/cpa/usage-record.js';
import {LimitsService} from '../limits/limits-service.js';
import {PriceService} from '../pricing/price-service.js';
import {CleanupRegistry} from '../runtime/cleanup.js';
import {instanceLogger, type Logger} from '../runtime/logger.js';
import {openDatabase, type Db} from '../store/database.js';
import {LegacyStateStore} from '../store/legacy-state.js';
import {StateStore} from '../store/state.js';
import {assignInstanceTags} from '../store/instances.js';
import {UsageWriter} from '../store/usage-writer.js';

/** One CPA's part of the services: its own client, collector, account listing, quota polls and errors channel. */
export type InstanceServices = {
	/** Its configured name (`NAME=` in CLIPROXY_URL, else host:port). */
	name: string;
	/** What its rows are stored under ('' for the first CPA the database collected from; store/instances.ts). */
	tag: string;
	url: string;
	client: CpaClient;
	writer: UsageWriter;
	sink: RecordSink;
	collector: Collector;
	accounts: AccountsService;
	quotaPoller: QuotaPoller;
	errorsChannel: ErrorsSubscription;
};

export type Services = {
	config: Config;
	db: Db;
	bus: EventBus;
	/** The first CPA's client, writer, accounts, poller and errors channel (the only ones with one CPA). */
	client: CpaClient;
	/** Every CPA's collector as one (one CPA: just its collector's behaviour). */
	collector: CollectorGroup;
	writer: UsageWriter;
	/** Whether the database can take a write; the spool of popped records it could not take. */
	store: StoreGuard;
	limits: LimitsService;
	/** Credentials, their state and official quotas: /auth-files, the errors channel, api-call polls. */
	accounts: AccountsService;
	quotaPoller: QuotaPoller;
	errorsChannel: ErrorsSubscription;
	/** Every configured CPA, in CLIPROXY_URL's order. */
	instances: InstanceServices[];
	/** Budget alerts: thresholds of limits and official windows, the webhook (long-running modes only). */
	alerts: AlertService;
	/** Prices: the book every request is priced with, overrides, fetching (long-running modes call `startAutoRefresh`). */
	prices: PriceService;
	state: StateStore;
	logger: Logger;
	cleanup: CleanupRegistry;
	now: () => number;
};

export type ServiceOptions = {
	logger: Logger;
	cleanup?: CleanupRegistry;
	/** Replaces the real pricer (tests, benches); the default prices from overrides, the cached fetch and the bundled snapshot. */
	pricer?: Pricer;
	now?: () => number;
	/** Extra or replacement backends, per instance (`parts` are that instance's). */
	backends?: (parts: ServiceParts) => BackendFactories;
	/**
	 * One pass and exit (`--once`): `auto` drains the queue rather than subscribing (a brief
	 * subscription would take records from other tools), and nothing watches for starvation.
	 */
	oneShot?: boolean;
	/** Timeouts, deadlines and body caps of the CPA client (tests shorten them). */
	cpa?: Omit<CpaClientOptions, 'baseUrl' | 'managementKey'>;
	/** Timeouts and backoff of the alert webhook (tests shorten them). */
	webhook?: ConstructorParameters<typeof AlertService>[0]['webhook'];
};

/** What a backend of one instance is built from: `config` carries that instance's URL and key as `cliproxyUrl` / `managementKey`. */
export type ServiceParts = Omit<Services, 'collector' | 'accounts' | 'quotaPoller' | 'errorsChannel' | 'alerts' | 'store' | 'instances'> & {
	sink: RecordSink;
	salt: string;
	wake: () => void;
	instance: {name: string; tag: string};
};

/** Everything the TUI, headless mode and `--once` share, created in one place. */
export function createServices(config: Config, options: ServiceOptions): Services {
	const now = options.now ?? Date.now;
	const cleanup = options.cleanup ?? new CleanupRegistry();
	const {logger} = options;
	const db = openDatabase(config.dbPath);
	cleanup.add('database', () => db.close());
	const state = new StateStore(db);
	const salt = state.salt();
	const tags = assignInstanceTags(db, config.instances.map(i => i.name), now());
	const prices = new PriceService({db, config: config.prices, logger, now});
	cleanup.add('prices', () => prices.stop());
	const pricer = options.pricer ?? prices.book;
	const bus = new EventBus();
	// Popped records the store could not take wait in a file beside the DB, replayed before any new pop.
	const spool = new Spool(config.dbPath, logger, now);
	const store = new StoreGuard({db, spool, logger, bus, now});
	cleanup.add('store guard', () => store.close());
	// Recomputes every limit's status after each collection pass.
	const limits = new LimitsService(db, config.zone, bus, now);
	cleanup.add('limits', () => limits.dispose());
	const several = config.instances.length > 1;
	// A spooled page goes back into the instance that popped it; one from a CPA no longer configured keeps its tag.
	const sinks = new Map<string, RecordSink>();
	const sinkFor = (tag: string): RecordSink => {
		let sink = sinks.get(tag);
		if (!sink) sinks.set(tag, (sink = new RecordSink(new UsageWriter(db, config.zone, salt, pricer, tag), bus, logger, now, store, tag)));
		return sink;
	};
	store.replayWith(entry => {
		const batch =
			entry.kind === 'resp'
				? readRespItems(JSON.parse(entry.payload) as string[], salt, now())
				: readQueuePage(entry.payload, salt, now(), null, entry.kind === 'queue' ? 'queue' : 'resp').batch;
		sinkFor(entry.instance).write(entry.kind === 'queue' ? 'queue' : 'resp', batch.records, batch.problems, {replay: true});
	});
	const adopted = spool.adopt();
	if (adopted.pages > 0) logger.info('found records an earlier run popped and did not commit; they are written before anything new is popped', {pages: adopted.pages, records: adopted.records});
	const live = !options.oneShot;
	const instances = config.instances.map((inst, index): InstanceServices => {
		const tag = tags.get(inst.name)!;
		const log = several ? instanceLogger(logger, inst.name) : logger;
		const own: Config = {...config, cliproxyUrl: inst.url, managementKey: inst.managementKey, warnings: index === 0 ? config.warnings : []};
		const client = new CpaClient({...options.cpa, baseUrl: inst.url, managementKey: inst.managementKey});
		const sink = sinkFor(tag);
		const writer = sink.writer;
		// Backends are created lazily, after `collector` exists.
		const wake = () => void collector.trigger();
		const parts: ServiceParts = {config: own, db, bus, client, writer, limits, prices, state, logger: log, cleanup, now, sink, salt, wake, instance: {name: inst.name, tag}};
		const watched = (backend: CollectorBackend) =>
			live
				? new StarvationWatch(backend, {
						client,
						logger: log,
						bus,
						now,
						delivered: () => sink.delivered,
						retentionMs: () => collector.retentionMs,
						statisticsEnabled: () => collector.status().source.usageStatisticsEnabled,
					})
				: backend;
		const backends: BackendFactories = {
			queue: () => watched(new QueueBackend(client, sink, salt, log)),
			resp: selection => watched(createRespBackend(parts, {live, ...(selection?.noSubscribe ? {noSubscribe: selection.noSubscribe} : {})})),
			legacy: () =>
				new LegacyBackend({client, db, writer, sink, legacyState: new LegacyStateStore(db, tag), state, salt, logger: log, now, intervalMs: config.intervalSeconds * 1000}),
			...options.backends?.(parts),
		};
		const collector = new Collector({config: own, client, bus, logger: log, backends, now, prefer: live ? 'resp' : 'queue', store, instance: inst.name});
		cleanup.add(several ? `collector ${inst.name}` : 'collector', () => collector.stop());
		const accounts = new AccountsService({db, zone: config.zone, client, bus, logger: log, now, instance: tag});
		cleanup.add(several ? `accounts ${inst.name}` : 'accounts', () => accounts.stop());
		const quotaPoller = new QuotaPoller({db, client, bus, logger: log, now, targets: () => accounts.listed(), intervalMinutes: config.quotaPollMinutes, instance: tag});
		cleanup.add(several ? `quota polls ${inst.name}` : 'quota polls', () => quotaPoller.stop());
		const errorsChannel = new ErrorsSubscription({db, client, bus, logger: log, now, endpoint: respEndpoint(inst.url), managementKey: inst.managementKey, instance: tag});
		cleanup.add(several ? `errors channel ${inst.name}` : 'errors channel', () => errorsChannel.close());
		return {name: inst.name, tag, url: inst.url, client, writer, sink, collector, accounts, quotaPoller, errorsChannel};
	});
	const first = instances[0]!;
	const collector = new CollectorGroup(instances.map(i => i.collector));
	// A pop whose page never reached the spool: the earlier run died with it in transit.
	for (const lost of adopted.lost) {
		const owner = instances.find(i => i.tag === lost.instance) ?? first;
		owner.collector.reportGap({from: lost.at, to: lost.at, count: lost.requested, cause: 'collector_killed', message: gapMessage(lost.requested, lost.at, lost.at, 'collector_killed')});
	}
	// CPA v6 rows name no provider: their token semantics follow their account's.
	cleanup.add(
		'account providers',
		bus.on('accounts', () => {
			try {
				prices.refreshAccounts();
			} catch (error) {
				logger.warn('could not re-read the accounts’ providers; CPA v6 rows keep the ones read before', {error: String(error)});
			}
		}),
	);
	const alerts = new AlertService({db, bus, logger, now, zone: config.zone, config: config.alerts, instance: first.name, webhook: options.webhook});
	cleanup.add('alerts', () => alerts.stop());
	return {
		config,
		db,
		bus,
		client: first.client,
		collector,
		writer: first.writer,
		store,
		limits,
		accounts: first.accounts,
		quotaPoller: first.quotaPoller,
		errorsChannel: first.errorsChannel,
		instances,
		alerts,
		prices,
		state,
		logger,
		cleanup,
		now,
	};
}

/**
 * The long-running modes (dashboard, headless): collection on its schedule, price refreshes,
 * the account listing and quota polls, and CPA's errors channel once usage arrives over RESP.
 */
export function startLive(services: Services): void {
	const {instances, prices, alerts, bus, cleanup} = services;
	alerts.start();
	for (const inst of instances) inst.collector.start();
	prices.startAutoRefresh();
	for (const inst of instances) {
		inst.accounts.start();
		inst.quotaPoller.start();
		const off = bus.on('status', status => {
			if (status.instance !== inst.name || status.transport?.state !== 'subscribed') return;
			inst.errorsChannel.maybeStart();
			off();
		});
		cleanup.add(instances.length > 1 ? `errors channel start ${inst.name}` : 'errors channel start', off);
	}
}

/** The RESP backend on CPA's own host and port; tests override any part. */
export function createRespBackend(parts: ServiceParts, overrides: Partial<RespBackendDeps> = {}): RespBackend {
	const {config, client, sink, salt, logger, bus, now, wake} = parts;
	return new RespBackend({
		client,
		sink,
		salt,
		logger,
		bus,
		now,
		wake,
		endpoint: respEndpoint(config.cliproxyUrl),
		managementKey: config.managementKey,
		...overrides,
	});
}
