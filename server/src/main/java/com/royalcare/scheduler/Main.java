package com.royalcare.scheduler;

import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.config.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** Reads the configuration, builds the app, starts it, and stops it cleanly on Ctrl-C. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (InvalidConfigException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        App app = App.build(config, Clock.systemUTC());
        app.seed().forEach(LOG::info);
        app.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            app.close();
        }, "shutdown"));
        LOG.info("Royal Care Scheduler listening on http://localhost:{} — database: {} — business time zone: {}",
                app.port(), app.services().db().description(), config.businessZone());
    }
}
