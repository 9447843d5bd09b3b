import {AccountsService} from '../accounts/accounts-service.js';
import {AlertService} from '../alerts/alert-service.js';
import {ErrorsSubscription} from '../accounts/errors-subscription.js';
import {QuotaPoller} from '../accounts/quota-poller.js';
import {CpaClient, type CpaClientOptions} from '../cliproxy/client.js';
import type {CollectorBackend} from '../collector/backend.js';
import {Collector, type BackendFactories} from '../collector/collector.js';
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
import {instanceName} from '../core/cpa/instance-name.js';
import type {Pricer} from '../core/cpa/usage-record.js';
import {LimitsService} from '../limits/limits-service.js';
import {PriceService} from '../pricing/price-service.js';
import {CleanupRegistry} from '../runtime/cleanup.js';
import type {Logger} from '../runtime/logger.js';
import {openDatabase, type Db} from '../store/database.js';
import {LegacyStateStore} from '../store/legacy-state.js';
import {StateStore} from '../store/state.js';
import {UsageWriter} from '../store/usage-writer.js';

export type Services = {
	config: Config;
	db: Db;
	bus: EventBus;
	client: CpaClient;
	collector: Collector;
	writer: UsageWriter;
	/** Whether the database can take a write; the spool of popped records it could not take. */
	store: StoreGuard;
	limits: LimitsService;
	/** Credentials, their state and official quotas: /auth-files, the errors channel, api-call polls. */
	accounts: AccountsService;
	quotaPoller: QuotaPoller;
	errorsChannel: ErrorsSubscription;
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
	/** Extra or replacement backends. */
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

export type ServiceParts = Omit<Services, 'collector' | 'accounts' | 'quotaPoller' | 'errorsChannel' | 'alerts' | 'store'> & {sink: RecordSink; salt: string; wake: () => void};

/** Everything the TUI, headless mode and `--once` share, created in one place. */
export function createServices(config: Config, options: ServiceOptions): Services {
	const now = options.now ?? Date.now;
	const cleanup = options.cleanup ?? new CleanupRegistry();
	const {logger} = options;
	const db = openDatabase(config.dbPath);
	cleanup.add('database', () => db.close());
	const state = new StateStore(db);
	const salt = state.salt();
	const prices = new PriceService({db, config: config.prices, logger, now});
	cleanup.add('prices', () => prices.stop());
	const writer = new UsageWriter(db, config.zone, salt, options.pricer ?? prices.book);
	const bus = new EventBus();
	const client = new CpaClient({...options.cpa, baseUrl: config.cliproxyUrl, managementKey: config.managementKey});
	// Popped records the store could not take wait in a file beside the DB, replayed before any new pop.
	const spool = new Spool(config.dbPath, logger, now);
	const store = new StoreGuard({db, spool, logger, bus, now});
	cleanup.add('store guard', () => store.close());
	const sink = new RecordSink(writer, bus, logger, now, store);
	store.replayWith(entry => {
		const batch =
			entry.kind === 'resp'
				? readRespItems(JSON.parse(entry.payload) as string[], salt, now())
				: readQueuePage(entry.payload, salt, now(), null, entry.kind === 'queue' ? 'queue' : 'resp').batch;
		sink.write(entry.kind === 'queue' ? 'queue' : 'resp', batch.records, batch.problems, {replay: true});
	});
	const adopted = spool.adopt();
	if (adopted.pages > 0) logger.info('found records an earlier run popped and did not commit; they are written before anything new is popped', {pages: adopted.pages, records: adopted.records});
	// Recomputes every limit's status after each collection pass.
	const limits = new LimitsService(db, config.zone, bus, now);
	cleanup.add('limits', () => limits.dispose());
	// Backends are created lazily, after `collector` exists.
	const wake = () => void collector.trigger();
	const parts: ServiceParts = {config, db, bus, client, writer, limits, prices, state, logger, cleanup, now, sink, salt, wake};
	const live = !options.oneShot;
	const watched = (backend: CollectorBackend) =>
		live
			? new StarvationWatch(backend, {
					client,
					logger,
					bus,
					now,
					delivered: () => sink.delivered,
					retentionMs: () => collector.retentionMs,
					statisticsEnabled: () => collector.status().source.usageStatisticsEnabled,
				})
			: backend;
	const backends: BackendFactories = {
		queue: () => watched(new QueueBackend(client, sink, salt, logger)),
		resp: selection => watched(createRespBackend(parts, {live, ...(selection?.noSubscribe ? {noSubscribe: selection.noSubscribe} : {})})),
		legacy: () =>
			new LegacyBackend({client, db, writer, sink, legacyState: new LegacyStateStore(db), state, salt, logger, now, intervalMs: config.intervalSeconds * 1000}),
		...options.backends?.(parts),
	};
	const collector = new Collector({config, client, bus, logger, backends, now, prefer: live ? 'resp' : 'queue', store});
	cleanup.add('collector', () => collector.stop());
	// A pop whose page never reached the spool: the earlier run died with it in transit.
	for (const lost of adopted.lost) {
		collector.reportGap({from: lost.at, to: lost.at, count: lost.requested, cause: 'collector_killed', message: gapMessage(lost.requested, lost.at, lost.at, 'collector_killed')});
	}
	const accounts = new AccountsService({db, zone: config.zone, client, bus, logger, now});
	cleanup.add('accounts', () => accounts.stop());
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
	const quotaPoller = new QuotaPoller({db, client, bus, logger, now, targets: () => accounts.listed(), intervalMinutes: config.quotaPollMinutes});
	cleanup.add('quota polls', () => quotaPoller.stop());
	const errorsChannel = new ErrorsSubscription({db, client, bus, logger, now, endpoint: respEndpoint(config.cliproxyUrl), managementKey: config.managementKey});
	cleanup.add('errors channel', () => errorsChannel.close());
	const alerts = new AlertService({db, bus, logger, now, zone: config.zone, config: config.alerts, instance: instanceName(config.cliproxyUrl), webhook: options.webhook});
	cleanup.add('alerts', () => alerts.stop());
	return {config, db, bus, client, collector, writer, store, limits, accounts, quotaPoller, errorsChannel, alerts, prices, state, logger, cleanup, now};
}

/**
 * The long-running modes (dashboard, headless): collection on its schedule, price refreshes,
 * the account listing and quota polls, and CPA's errors channel once usage arrives over RESP.
 */
export function startLive(services: Services): void {
	const {collector, prices, accounts, quotaPoller, errorsChannel, alerts, bus, cleanup} = services;
	alerts.start();
	collector.start();
	prices.startAutoRefresh();
	accounts.start();
	quotaPoller.start();
	const off = bus.on('status', status => {
		if (status.transport?.state !== 'subscribed') return;
		errorsChannel.maybeStart();
		off();
	});
	cleanup.add('errors channel start', off);
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
