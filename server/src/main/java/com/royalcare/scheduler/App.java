package com.royalcare.scheduler;

import com.royalcare.scheduler.activity.ActivityHandler;
import com.royalcare.scheduler.activity.ActivityService;
import com.royalcare.scheduler.auth.AuthHandler;
import com.royalcare.scheduler.auth.AuthService;
import com.royalcare.scheduler.auth.Principal;
import com.royalcare.scheduler.auth.PasswordHasher;
import com.royalcare.scheduler.auth.SessionStore;
import com.royalcare.scheduler.availability.AvailabilityHandler;
import com.royalcare.scheduler.availability.AvailabilityRepository;
import com.royalcare.scheduler.availability.AvailabilityService;
import com.royalcare.scheduler.availability.JdbcWeeklyScheduleRepository;
import com.royalcare.scheduler.availability.WeeklyAutoApply;
import com.royalcare.scheduler.availability.WeeklyScheduleHandler;
import com.royalcare.scheduler.availability.WeeklyScheduleService;
import com.royalcare.scheduler.booking.AppointmentService;
import com.royalcare.scheduler.booking.BookingFeature;
import com.royalcare.scheduler.booking.CatalogService;
import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.demo.DemoData;
import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.ops.ClientMetricsHandler;
import com.royalcare.scheduler.ops.OpsHandler;
import com.royalcare.scheduler.staff.StaffHandler;
import com.royalcare.scheduler.staff.StaffRepository;
import com.royalcare.scheduler.staff.StaffService;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.SyncHandler;
import com.royalcare.scheduler.sync.SyncService;
import com.royalcare.scheduler.sync.Viewer;
import com.royalcare.scheduler.sync.Viewers;
import com.royalcare.scheduler.web.ErrorMapping;
import com.royalcare.scheduler.web.HttpMetrics;
import com.royalcare.scheduler.web.GracefulStop;
import com.royalcare.scheduler.web.Json;
import com.royalcare.scheduler.web.RoutesSetup;
import com.royalcare.scheduler.web.WebDefenses;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The whole server, wired by hand: {@link #build} opens the database and creates every part;
 * {@link #start} opens the port. Main and the tests both go through here, so tests run the
 * production wiring.
 */
public final class App implements AutoCloseable {

    private final Config config;
    private final Clock clock;
    private final Database db;
    private final Javalin javalin;
    private final Services services;
    private final StaffService staff;
    private final AvailabilityService availability;
    private final IdempotencyKeys idempotency;
    private final GracefulStop graceful;

    /** How long a stop waits for requests in flight before closing the port anyway. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(App.class);

    /** The parts other code (Main, tests) may need to reach. */
    public record Services(Database db, ChangeLog changeLog, SyncService sync, WeeklyScheduleService weekly,
                           WeeklyAutoApply autoApply, CatalogService catalog, AppointmentService appointments) {
    }

    private App(Config config, Clock clock, Javalin javalin, Services services, StaffService staff, AvailabilityService availability,
                IdempotencyKeys idempotency, GracefulStop graceful) {
        this.graceful = graceful;
        this.config = config;
        this.clock = clock;
        this.db = services.db();
        this.javalin = javalin;
        this.services = services;
        this.staff = staff;
        this.availability = availability;
        this.idempotency = idempotency;
    }

    /**
     * @param clock what every time-dependent part reads (sessions, lockout, timestamps, demo dates, overdue
     *              flags and booking history); Main passes the system clock, tests one they can move
     */
    public static App build(Config config, Clock clock) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        Database db = Database.open(config);
        StaffRepository staffRepo = new StaffRepository(db, clock);
        SessionStore sessions = new SessionStore(db, staffRepo, config.auth().sessionLifetime(), config.auth().sessionIdle(), clock);
        SyncService sync = new SyncService(db, config.sync(), config.historyRetention(), config.historyMinChanges(), metrics,
                sessions, clock);
        Viewers viewers = ctx -> {
            Principal p = Principal.of(ctx);
            return new Viewer(p.id(), p.isOperator(), p.tokenHash());
        };
        ChangeLog changeLog = sync.changeLog();
        PasswordHasher hasher = new PasswordHasher(config.passwordCost());
        StaffService staff = new StaffService(db, staffRepo, changeLog, sessions, hasher);
        AuthService auth = new AuthService(db, staffRepo, staffRepo, sessions, hasher, clock, p -> sync.signedOut(p.id(), p.tokenHash()),
                config.auth(), changeLog);
        AvailabilityRepository slotRepo = new AvailabilityRepository(clock);
        IdempotencyKeys idempotency = new IdempotencyKeys(db, clock);
        BookingFeature booking = BookingFeature.build(db, staffRepo, slotRepo, changeLog, config, clock, idempotency);
        AvailabilityService availability = new AvailabilityService(db, slotRepo, staffRepo, changeLog,
                config.businessZone(), clock, booking::bookings);
        WeeklyScheduleService weekly = new WeeklyScheduleService(db, new JdbcWeeklyScheduleRepository(clock), availability, staffRepo,
                changeLog, config.weeklyHorizonWeeks());
        WeeklyAutoApply autoApply = new WeeklyAutoApply(weekly, config.businessZone(), clock);

        List<RoutesSetup> handlers = List.of(
                new ErrorMapping(metrics),
                idempotency,
                new OpsHandler(db, metrics, config.businessZone(), config.web()),
                new ClientMetricsHandler(metrics),
                new AuthHandler(auth, config.auth()),
                new StaffHandler(staff, idempotency),
                new AvailabilityHandler(availability, idempotency),
                new WeeklyScheduleHandler(weekly, idempotency),
                booking.handler(),
                new SyncHandler(sync, viewers),
                new ActivityHandler(new ActivityService(db, changeLog, staffRepo)));

        GracefulStop graceful = new GracefulStop(java.util.Set.of(SyncHandler.EVENTS_PATH)); // streams end through sync.close()
        Javalin javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.port = config.port();
            cfg.jetty.addConnector((server, http) -> connector(server, http, config.port()));
            if (config.web().metricsPort() != 0) cfg.jetty.addConnector((server, http) -> metricsConnector(server, http, config.web().metricsPort()));
            // Javalin nests its handler inside the innermost wrapper: defenses, then the stop, then Javalin
            cfg.jetty.modifyServer(server -> server.setHandler(new WebDefenses(graceful)));
            cfg.http.maxRequestSize = ErrorMapping.MAX_BODY_BYTES;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
            });
            cfg.requestLogger.http(new HttpMetrics(metrics));
            handlers.forEach(h -> h.addRoutes(cfg.routes));
        });
        return new App(config, clock, javalin, new Services(db, changeLog, sync, weekly, autoApply, booking.catalog(),
                booking.appointments()), staff, availability, idempotency, graceful);
    }

    /**
     * The HTTP connector, as Javalin would make it, but with a deep accept queue: when thousands of
     * event streams reconnect at once (a network blip, a restart), the JVM's default backlog of 50
     * overflows and the kernel drops handshakes, which clients retry only after 1, 2, 4 … seconds.
     * The kernel caps the queue at net.core.somaxconn.
     */
    static ServerConnector connector(Server server, HttpConfiguration http, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }

    static final int ACCEPT_QUEUE = 8192;

    /** METRICS_PORT: a plain second connector, on which only /metrics and /health answer (ops/MetricsAccessHandler). */
    private static ServerConnector metricsConnector(Server server, HttpConfiguration http, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        return connector;
    }

    public App start() {
        services.sync().start();
        idempotency.start();
        javalin.start();
        services.autoApply().start();
        return this;
    }

    public int port() {
        return javalin.port();
    }

    public Services services() {
        return services;
    }

    public Config config() {
        return config;
    }

    /** Creates the first operator and, when asked, the demo staff; returns lines worth printing once. */
    public List<String> seed() {
        return DemoData.seed(config, staff, availability, services.catalog(), services.appointments(), clock);
    }

    /** Counts requests in flight and refuses new ones once a stop has begun. */
    public GracefulStop graceful() {
        return graceful;
    }

    /**
     * A graceful stop (SIGTERM runs it through Main's shutdown hook): from the first moment every
     * new request gets 503 with Retry-After (never a 500); open event streams are told
     * {@code closed: shutdown} and waiting polls answered 503; requests in flight finish (at most
     * {@link #STOP_TIMEOUT}); then the port closes and the database pools with it.
     */
    @Override
    public void close() {
        graceful.beginStop();
        services.autoApply().close();
        services.sync().close(); // ends open streams cleanly before the server stops
        if (!graceful.awaitIdle(STOP_TIMEOUT)) {
            LOG.warn("Stopping with {} requests still in flight after {}", graceful.inFlight(), STOP_TIMEOUT);
        }
        javalin.stop();
        idempotency.close();
        db.close();
    }
}
