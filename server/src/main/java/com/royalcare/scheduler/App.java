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
import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.demo.DemoData;
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
import com.royalcare.scheduler.web.Json;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole server, wired by hand: {@link #build} opens the database and creates every part;
 * {@link #start} opens the port. Main and the tests both go through here, so tests run the
 * production wiring.
 */
public final class App implements AutoCloseable {

    private final Config config;
    private final Database db;
    private final Javalin javalin;
    private final Services services;

    /** The parts other code (Main, demo data, tests) may need to reach. */
    public record Services(Database db, StaffService staff, AvailabilityService availability, AuthService auth,
                           ChangeLog changeLog, SyncService sync, PrometheusMeterRegistry metrics) {
    }

    private App(Config config, Database db, Javalin javalin, Services services) {
        this.config = config;
        this.db = db;
        this.javalin = javalin;
        this.services = services;
    }

    public static App build(Config config) {
        Clock clock = Clock.systemUTC();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        Database db = Database.open(config);
        SessionStore sessions = new SessionStore(Duration.ofHours(12));
        SyncService sync = new SyncService(db, config.sync(), config.historyRetention(), config.historyMinChanges(), metrics,
                tokenHashes -> db.read(h -> sessions.live(h, tokenHashes)));
        Viewers viewers = ctx -> {
            Principal p = Principal.of(ctx);
            return new Viewer(p.id(), p.isOperator(), p.tokenHash());
        };
        ChangeLog changeLog = sync.changeLog();
        PasswordHasher hasher = new PasswordHasher(config.passwordCost());
        StaffRepository staffRepo = new StaffRepository();
        StaffService staff = new StaffService(db, staffRepo, changeLog, sessions::deleteAllOf, hasher::hash);
        AuthService auth = new AuthService(db, staffRepo, sessions, hasher, config.businessZone(), clock, p -> sync.signedOut(p.id(), p.tokenHash()));
        AvailabilityService availability = new AvailabilityService(db, new AvailabilityRepository(), staffRepo, changeLog,
                config.businessZone());

        List<RoutesSetup> handlers = List.of(
                new ErrorMapping(),
                new OpsHandler(db, metrics, config.businessZone()),
                new AuthHandler(auth, db, staffRepo),
                new StaffHandler(staff),
                new AvailabilityHandler(availability),
                new SyncHandler(sync, viewers),
                new ActivityHandler(new ActivityService(db, changeLog, staffRepo)));

        Javalin javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.port = config.port();
            cfg.jetty.addConnector((server, http) -> connector(server, http, config.port()));
            cfg.http.maxRequestSize = ErrorMapping.MAX_BODY_BYTES;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
            });
            cfg.requestLogger.http((ctx, ms) -> Timer.builder("http_server_requests")
                    .tag("method", ctx.method().name())
                    .tag("route", routeOf(ctx))
                    .tag("status", Integer.toString(ctx.statusCode()))
                    .register(metrics)
                    .record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS));
            handlers.forEach(h -> h.addRoutes(cfg.routes));
        });
        return new App(config, db, javalin, new Services(db, staff, availability, auth, changeLog, sync, metrics));
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

    /** The route template (bounded label values), or "unmatched" for 404s and static files. */
    private static String routeOf(io.javalin.http.Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    public App start() {
        services.sync().start();
        javalin.start();
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
        return DemoData.seed(config, services);
    }

    @Override
    public void close() {
        services.sync().close(); // ends open streams cleanly before the server stops
        javalin.stop();
        db.close();
    }
}
