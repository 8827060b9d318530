package com.royalcare.scheduler.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bound on password checks keeps one address from queueing ahead of everyone else. */
class PasswordChecksTest {

    @Test
    void an_address_with_a_check_running_is_refused_at_once_while_another_address_gets_the_free_permit() throws Exception {
        PasswordChecks checks = new PasswordChecks(2);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<String>> flood = CompletableFuture.supplyAsync(() -> checks.run("203.0.113.66", () -> {
            running.countDown();
            await(release);
            return "first guess";
        }));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            // the same address again: refused without waiting (the caller answers 429)
            assertThat(checks.run("203.0.113.66", () -> "second guess")).isEmpty();
            // the real user elsewhere takes the other permit straight away
            assertThat(checks.run("192.0.2.10", () -> "real user")).contains("real user");
        } finally {
            release.countDown();
        }
        assertThat(flood.get(5, TimeUnit.SECONDS)).contains("first guess");
        // once its check is done, the address may check again
        assertThat(checks.run("203.0.113.66", () -> "third guess")).contains("third guess");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
