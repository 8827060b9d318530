package com.royalcare.scheduler;

import com.royalcare.scheduler.auth.Principal;
import com.royalcare.scheduler.web.ApiException;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.javalin.http.Context;
import org.junit.jupiter.api.BeforeAll;
import com.royalcare.scheduler.sync.SyncService;
import com.royalcare.scheduler.sync.Viewers;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Who may depend on whom, checked on the product's classes (not the tests). Features (auth, staff,
 * availability, demo, ops) sit on sync; everything sits on web, db and config.
 */
class ArchitectureTest {

    private static final String BASE = "com.royalcare.scheduler";
    private static final String[] FEATURES = {BASE + ".auth..", BASE + ".staff..", BASE + ".availability..", BASE + ".demo..",
            BASE + ".ops.."};

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);
    }

    @Test
    void packages_form_no_cycles() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(product);
    }

    /** App and Main wire everything; nothing may reach back to them (demo data once did). */
    @Test
    void nothing_depends_on_the_wiring() {
        noClasses().that().resideOutsideOfPackage(BASE)
                .should().dependOnClassesThat().resideInAPackage(BASE)
                .check(product);
    }

    @Test
    void web_db_and_config_know_no_feature_and_no_sync() {
        noClasses().that().resideInAnyPackage(BASE + ".web..", BASE + ".db..", BASE + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(concat(FEATURES, BASE + ".sync.."))
                .check(product);
    }

    /** Services speak the domain; only handlers (and web itself) speak HTTP. */
    @Test
    void only_handlers_and_web_use_http_types() {
        // idempotency is HTTP plumbing too: it stores and replays whole answers
        noClasses().that().resideOutsideOfPackages(BASE + ".web..", BASE + ".sync..", BASE + ".idempotency..")
                .and().haveNameNotMatching(".*Handler(\\$.*)?")
                // Principal.of(ctx) is how every feature handler learns who is asking
                .and().doNotBelongToAnyOf(Principal.class)
                .should().dependOnClassesThat().belongToAnyOf(ApiException.class, Context.class)
                .check(product);
    }

    /**
     * The same rule for sync. Viewers is the port through which the app says who asks (it reads the
     * request); SyncService still refuses with ApiException (shutting down, too many streams, a poll whose
     * session ended) and is the one exception left to fold into outcomes its handler maps.
     */
    @Test
    void only_sync_handlers_use_http_types() {
        noClasses().that().resideInAPackage(BASE + ".sync..")
                .and().haveNameNotMatching(".*Handler(\\$.*)?")
                .and().doNotBelongToAnyOf(SyncService.class, Viewers.class)
                .should().dependOnClassesThat().belongToAnyOf(ApiException.class, Context.class)
                .check(product);
    }

    /** Sync knows no feature: features hand it changes with an audience; the app tells it who asks. */
    @Test
    void sync_depends_on_no_feature() {
        noClasses().that().resideInAPackage(BASE + ".sync..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .check(product);
    }

    private static String[] concat(String[] a, String b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = b;
        return all;
    }
}
