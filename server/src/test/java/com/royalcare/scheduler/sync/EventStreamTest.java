package com.royalcare.scheduler.sync;

import com.royalcare.testkit.PrometheusScrape;
import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/events end to end with a real HTTP client: events per write, authorisation, filters, closing. */
class EventStreamTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of("SYNC_HEARTBEAT_MS", "300"), Slots.CLOCK);


    private static EventStreamClient stream(ApiClient as, String query) {
        EventStreamClient c = EventStreamClient.open(server.baseUrl(), as.token(), "/api/events" + query, null);
        assertThat(c.status()).isEqualTo(200);
        return c;
    }

    @Test
    void stream_opens_with_proxy_safe_headers_a_retry_hint_and_the_head_position() {
        long head = Slots.head(server.operator());
        try (EventStreamClient c = stream(server.operator(), "")) {
            assertThat(c.header("Content-Type")).startsWith("text/event-stream");
            assertThat(c.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(c.header("X-Accel-Buffering")).isEqualTo("no");
            EventStreamClient.Frame hello = c.next();
            assertThat(hello.comments()).contains("connected");
            assertThat(hello.id()).isEqualTo(head);
            assertThat(c.rawLines()).anyMatch(l -> l.startsWith("retry: "));
        }
    }

    @Test
    void stream_first_says_its_heartbeat_interval_in_a_hello_event_without_an_id() {
        try (EventStreamClient c = stream(server.operator(), "")) {
            c.next(); // the greeting has arrived, so hello (sent before it) has too
            assertThat(c.hello()).isNotNull();
            assertThat(c.hello().id()).isNull();
            assertThat(c.hello().json().get("heartbeatMs").asLong())
                    .isEqualTo(server.get().app().config().sync().heartbeat().toMillis());
            assertThat(c.rawLines().subList(0, 3)).containsExactly("retry: 2000", "event: hello",
                    "data: {\"heartbeatMs\":" + server.get().app().config().sync().heartbeat().toMillis() + "}");
        }
    }

    @Test
    void an_event_arrives_after_each_kind_of_write() {
        try (EventStreamClient c = stream(server.operator(), "")) {
            c.next();
            List<Long> latenciesMicros = new ArrayList<>();

            long t0 = System.nanoTime();
            long therapist = server.operator().createStaff("each-kind", "therapist");
            EventStreamClient.Frame created = c.nextEvent();
            latenciesMicros.add((System.nanoTime() - t0) / 1000);
            assertThat(created.event()).isEqualTo("staff_updated");
            assertThat(created.json().get("staffId").asLong()).isEqualTo(therapist);
            assertThat(created.json().get("data").get("username").asText()).isEqualTo("each-kind");

            t0 = System.nanoTime();
            long slot = Slots.create(server.operator(), therapist, LocalDate.of(2031, 5, 1), 9);
            EventStreamClient.Frame slotCreated = c.nextEvent();
            latenciesMicros.add((System.nanoTime() - t0) / 1000);
            assertThat(slotCreated.event()).isEqualTo("availability_created");
            assertThat(slotCreated.json().get("date").asText()).isEqualTo("2031-05-01");
            assertThat(slotCreated.json().get("data").get("id").asLong()).isEqualTo(slot);
            assertThat(slotCreated.json().get("actorId").asLong()).isEqualTo(server.operator().me());

            Slots.patch(server.operator(), slot, Map.of("note", "bring oil"));
            EventStreamClient.Frame updated = c.nextEvent();
            assertThat(updated.event()).isEqualTo("availability_updated");
            assertThat(updated.json().get("data").get("note").asText()).isEqualTo("bring oil");

            Slots.patch(server.operator(), slot, Map.of("date", "2031-05-02"));
            EventStreamClient.Frame moved = c.nextEvent();
            assertThat(moved.json().get("date").asText()).isEqualTo("2031-05-02");
            assertThat(moved.json().get("data").get("previousDate").asText()).isEqualTo("2031-05-01");

            assertThat(server.operator().delete("/api/availability/" + slot, null).status()).isEqualTo(204);
            EventStreamClient.Frame deleted = c.nextEvent();
            assertThat(deleted.event()).isEqualTo("availability_deleted");
            assertThat(deleted.json().get("data").get("id").asLong()).isEqualTo(slot);

            server.operator().patch("/api/staff/" + therapist, Map.of("phone", "+63 900"), null);
            EventStreamClient.Frame edited = c.nextEvent();
            assertThat(edited.event()).isEqualTo("staff_updated");
            assertThat(edited.json().get("data").get("phone").asText()).isEqualTo("+63 900");

            server.operator().patch("/api/staff/" + therapist, Map.of("active", false), null);
            EventStreamClient.Frame disabled = c.nextEvent();
            assertThat(disabled.event()).isEqualTo("staff_updated");
            assertThat(disabled.json().get("data").get("active").asBoolean()).isFalse();

            ApiClient.Response refresh = server.operator().post("/api/sync/refresh", Map.of("staffId", therapist, "date", "2031-05-02"));
            assertThat(refresh.status()).isEqualTo(200);
            EventStreamClient.Frame refreshed = c.nextEvent();
            assertThat(refreshed.event()).isEqualTo("global_refresh");
            assertThat(refreshed.json().get("data")).isEqualTo(refresh.json().get("data"));
            assertThat(refreshed.json().get("staffId").asLong()).isEqualTo(therapist);

            List<Long> ids = List.of(created.id(), slotCreated.id(), updated.id(), moved.id(), deleted.id(), edited.id(),
                    disabled.id(), refreshed.id());
            for (int i = 1; i < ids.size(); i++) assertThat(ids.get(i)).isEqualTo(ids.get(i - 1) + 1);
            for (EventStreamClient.Frame f : List.of(created, slotCreated, refreshed)) {
                JsonNode j = f.json();
                assertThat(j.fieldNames()).toIterable().containsExactly("seq", "type", "at", "actorId", "staffId", "date", "data");
                assertThat(j.get("seq").asLong()).isEqualTo(f.id());
                assertThat(j.get("type").asText()).isEqualTo(f.event());
            }
            System.out.println("write-to-event latency (us, API call start to event parsed): " + latenciesMicros);
        }
    }

    @Test
    void without_a_session_the_stream_is_refused_with_a_json_401() {
        EventStreamClient c = EventStreamClient.open(server.baseUrl(), null, "/api/events", null);
        assertThat(c.status()).isEqualTo(401);
        assertThat(c.header("Content-Type")).startsWith("application/json");
        assertThat(c.errorBody()).contains("UNAUTHENTICATED");

        EventStreamClient bad = EventStreamClient.open(server.baseUrl(), "not-a-token", "/api/events", null);
        assertThat(bad.status()).isEqualTo(401);
        bad.errorBody();
    }

    @Test
    void one_account_holds_at_most_the_configured_number_of_streams() {
        try (TestServer small = TestServer.start(Map.of("SYNC_STREAMS_PER_USER", "3", "SYNC_HEARTBEAT_MS", "200"))) {
            ApiClient therapist = small.newStaff("many-tabs", "therapist");
            List<EventStreamClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(EventStreamClient.open(small.baseUrl(), therapist.token(), "/api/events", null));
                    assertThat(open.get(i).status()).isEqualTo(200);
                }
                EventStreamClient fourth = EventStreamClient.open(small.baseUrl(), therapist.token(), "/api/events", null);
                assertThat(fourth.status()).isEqualTo(429);
                assertThat(fourth.header("Content-Type")).startsWith("application/json");
                assertThat(fourth.errorBody()).contains("TOO_MANY_STREAMS");
                // another account is not affected
                EventStreamClient operators = EventStreamClient.open(small.baseUrl(), small.operator().token(), "/api/events", null);
                open.add(operators);
                assertThat(operators.status()).isEqualTo(200);
                // closing one frees its place (the server notices the closed socket at its next heartbeat)
                open.remove(0).close();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                int status;
                do {
                    EventStreamClient again = EventStreamClient.open(small.baseUrl(), therapist.token(), "/api/events", null);
                    status = again.status();
                    if (status == 200) open.add(again);
                    else again.errorBody();
                } while (status != 200 && System.nanoTime() < deadline);
                assertThat(status).isEqualTo(200);
            } finally {
                open.forEach(EventStreamClient::close);
            }
        }
    }

    @Test
    void a_therapist_cannot_ask_for_someone_elses_changes() {
        ApiClient t = server.newStaff("nosy", "therapist");
        long other = server.operator().createStaff("private", "therapist");
        EventStreamClient c = EventStreamClient.open(server.baseUrl(), t.token(), "/api/events?staffId=" + other, null);
        assertThat(c.status()).isEqualTo(403);
        assertThat(c.errorBody()).contains("FORBIDDEN");
        try (EventStreamClient own = stream(t, "?staffId=" + t.me())) {
            assertThat(own.next().comments()).contains("connected");
        }
    }

    @Test
    void therapists_receive_only_their_own_changes_and_refreshes_meant_for_them() {
        ApiClient anna = server.newStaff("anna-own", "therapist");
        ApiClient bea = server.newStaff("bea-own", "therapist");
        long annaId = anna.me();
        long beaId = bea.me();
        try (EventStreamClient annaStream = stream(anna, ""); EventStreamClient beaStream = stream(bea, "")) {
            annaStream.next();
            beaStream.next();
            Slots.create(server.operator(), beaId);
            long annaSlot = Slots.create(anna, annaId);
            Slots.refresh(server.operator(), Map.of("staffId", beaId));
            server.operator().patch("/api/staff/" + annaId, Map.of("phone", "+63 911"), null);
            Slots.refresh(server.operator());
            long head = Slots.head(server.operator());

            List<EventStreamClient.Frame> annaGot = annaStream.eventsThrough(head);
            assertThat(annaGot).extracting(EventStreamClient.Frame::event)
                    .containsExactly("availability_created", "staff_updated", "global_refresh");
            assertThat(annaGot.get(0).json().get("data").get("id").asLong()).isEqualTo(annaSlot);
            assertThat(annaGot).allSatisfy(f -> assertThat(f.json().get("staffId").isNull() || f.json().get("staffId").asLong() == annaId).isTrue());

            List<EventStreamClient.Frame> beaGot = beaStream.eventsThrough(head);
            assertThat(beaGot).extracting(EventStreamClient.Frame::event)
                    .containsExactly("availability_created", "global_refresh", "global_refresh");
            assertThat(beaGot).allSatisfy(f -> assertThat(f.json().get("staffId").isNull() || f.json().get("staffId").asLong() == beaId).isTrue());
        }
    }

    @Test
    void filters_select_staff_types_and_dates_and_skipped_changes_still_move_the_position() {
        long a = server.operator().createStaff("filter-a", "therapist");
        long b = server.operator().createStaff("filter-b", "therapist");
        LocalDate d1 = LocalDate.of(2032, 3, 1);
        LocalDate d2 = LocalDate.of(2032, 3, 2);
        LocalDate far = LocalDate.of(2032, 9, 9);
        String query = "?staffId=" + a + "&types=availability_created,availability_updated&from=" + d1 + "&to=" + d2;
        try (EventStreamClient c = stream(server.operator(), query)) {
            c.next();
            Slots.create(server.operator(), b, d1, 8);                           // other staff: skipped
            long inRange = Slots.create(server.operator(), a, d1, 9);            // match
            long outside = Slots.create(server.operator(), a, far, 9);           // outside the dates: skipped
            Slots.patch(server.operator(), outside, Map.of("date", d2.toString())); // moved into the range: match
            Slots.patch(server.operator(), inRange, Map.of("date", far.toString())); // moved out of the range: match by previousDate
            server.operator().delete("/api/availability/" + outside, null);      // type not asked for: skipped
            long head = Slots.head(server.operator());

            List<EventStreamClient.Frame> got = c.eventsThrough(head - 1);
            assertThat(got).extracting(EventStreamClient.Frame::event)
                    .containsExactly("availability_created", "availability_updated", "availability_updated");
            assertThat(got.get(0).json().get("data").get("id").asLong()).isEqualTo(inRange);
            assertThat(got.get(1).json().get("data").get("id").asLong()).isEqualTo(outside);
            assertThat(got.get(2).json().get("data").get("previousDate").asText()).isEqualTo(d1.toString());

            // The last change (the delete) was skipped, but the client's position still moves past it.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (c.lastEventId() < head && System.nanoTime() < deadline) c.next();
            assertThat(c.lastEventId()).isEqualTo(head);

            long resumeFrom = c.lastEventId();
            c.close();
            try (EventStreamClient again = EventStreamClient.open(server.baseUrl(), server.operator().token(), "/api/events" + query, resumeFrom)) {
                long next = Slots.create(server.operator(), a, d2, 10);
                EventStreamClient.Frame first = again.nextEvent();
                assertThat(first.event()).isEqualTo("availability_created");
                assertThat(first.json().get("data").get("id").asLong()).isEqualTo(next);
            }
        }
    }

    @Test
    void signing_out_closes_the_stream_and_a_reconnect_is_refused() {
        ApiClient t = server.newStaff("signs-out", "therapist");
        try (EventStreamClient c = stream(t, "")) {
            c.next();
            assertThat(t.post("/api/auth/logout", Map.of()).status()).isEqualTo(204);
            EventStreamClient.Frame last = c.nextEvent();
            assertThat(last.event()).isEqualTo("closed");
            assertThat(last.json().get("reason").asText()).isEqualTo("signed_out");
            assertThat(c.awaitEnd(EventStreamClient.WAIT)).isTrue();
        }
        EventStreamClient again = EventStreamClient.open(server.baseUrl(), t.token(), "/api/events", null);
        assertThat(again.status()).isEqualTo(401);
        again.errorBody();
    }

    @Test
    void disabling_an_account_closes_its_open_streams() {
        ApiClient t = server.newStaff("gets-disabled", "driver");
        try (EventStreamClient c = stream(t, ""); EventStreamClient c2 = stream(t, "?types=global_refresh")) {
            c.next();
            c2.next();
            server.operator().patch("/api/staff/" + t.me(), Map.of("active", false), null);
            for (EventStreamClient s : List.of(c, c2)) {
                EventStreamClient.Frame last = s.nextEvent();
                assertThat(last.event()).isEqualTo("closed");
                assertThat(last.json().get("reason").asText()).isEqualTo("disabled");
                assertThat(s.awaitEnd(EventStreamClient.WAIT)).isTrue();
            }
        }
        EventStreamClient again = EventStreamClient.open(server.baseUrl(), t.token(), "/api/events", null);
        assertThat(again.status()).isEqualTo(401);
        again.errorBody();
    }

    @Test
    void a_password_reset_by_an_operator_ends_every_session_and_stream_of_that_account_at_once() {
        // a minute between heartbeats: the stream must not close through the heartbeat's session check
        try (TestServer slow = TestServer.start(Map.of("SYNC_HEARTBEAT_MS", "60000"))) {
            ApiClient t = slow.newStaff("gets-reset", "therapist");
            ApiClient otherSession = ApiClient.signIn(slow.baseUrl(), "gets-reset", ApiClient.passwordOf("gets-reset"));
            try (EventStreamClient c = EventStreamClient.open(slow.baseUrl(), t.token(), "/api/events", null)) {
                c.next();
                ApiClient.Response r = slow.operator().patch("/api/staff/" + t.me(), Map.of("password", "a-brand-new-secret"), null);
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                EventStreamClient.Frame last = c.nextEvent();
                assertThat(last.event()).isEqualTo("closed");
                assertThat(last.json().get("reason").asText()).isEqualTo("signed_out");
                assertThat(c.awaitEnd(EventStreamClient.WAIT)).isTrue();
            }
            assertThat(t.get("/api/me").status()).isEqualTo(401);
            assertThat(otherSession.get("/api/me").status()).isEqualTo(401);
            assertThat(ApiClient.signIn(slow.baseUrl(), "gets-reset", "a-brand-new-secret").get("/api/me").status()).isEqualTo(200);
        }
    }

    @Test
    void a_session_ended_elsewhere_closes_the_stream_at_the_next_heartbeat() {
        ApiClient t = server.newStaff("ended-elsewhere", "therapist");
        long id = t.me();
        try (EventStreamClient c = stream(t, "")) {
            c.next();
            // What another node's sign-out does: the session row goes; this node's hook never ran.
            int deleted = server.app().services().db().write(h -> h.createUpdate("DELETE FROM sessions WHERE staff_id = :s")
                    .bind("s", id).execute());
            assertThat(deleted).isEqualTo(1);
            EventStreamClient.Frame last = c.nextEvent();
            assertThat(last.event()).isEqualTo("closed");
            assertThat(last.json().get("reason").asText()).isEqualTo("signed_out");
            assertThat(c.awaitEnd(EventStreamClient.WAIT)).isTrue();
        }
    }

    @Test
    void idle_streams_get_heartbeat_comments() {
        try (EventStreamClient c = stream(server.operator(), "?types=nothing_matches_this")) {
            c.next();
            EventStreamClient.Frame beat = c.next();
            assertThat(beat.comments()).contains("heartbeat");
            assertThat(beat.isEvent()).isFalse();
            // and, for EventSource (which fires nothing for comments), a named event with empty data
            assertThat(c.rawLines()).containsSubsequence(": heartbeat", "event: heartbeat", "data: {}", "");
        }
    }

    @Test
    void refresh_is_for_operators_and_checks_its_body() {
        ApiClient t = server.newStaff("no-refresh", "therapist");
        assertThat(t.post("/api/sync/refresh", Map.of()).status()).isEqualTo(403);
        ApiClient.Response bad = server.operator().post("/api/sync/refresh", Map.of("date", "2030-02-30"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("fields").has("date")).isTrue();
        assertThat(server.operator().post("/api/sync/refresh", Map.of("colour", "red")).status()).isEqualTo(400);
        ApiClient.Response ok = server.operator().raw("POST", "/api/sync/refresh", new byte[0], Map.of());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("type").asText()).isEqualTo("global_refresh");
        assertThat(ok.json().get("staffId").isNull()).isTrue();
    }

    @Test
    void bad_stream_parameters_are_refused_before_the_stream_opens() {
        for (String q : List.of("?since=-1", "?since=abc", "?from=2030-13-01", "?from=2030-02-02&to=2030-02-01", "?types=Bad-Type",
                "?staffId=x")) {
            EventStreamClient c = EventStreamClient.open(server.baseUrl(), server.operator().token(), "/api/events" + q, null);
            assertThat(c.status()).as(q).isEqualTo(400);
            assertThat(c.errorBody()).as(q).contains("\"error\"");
        }
    }

    @Test
    void metrics_show_open_streams_and_sync_counters() {
        try (EventStreamClient c = stream(server.operator(), "")) {
            c.next();
            Slots.refresh(server.operator());
            c.nextEvent();
            String metrics = server.operator().get("/metrics").text();
            assertThat(metrics).contains("rcs_sync_streams_open", "rcs_sync_events_published_total", "rcs_sync_events_delivered_total",
                    "rcs_sync_clients_cut_total", "rcs_sync_resumes_total", "rcs_sync_resets_total",
                    "rcs_sync_commit_to_write_seconds_bucket");
            assertThat(PrometheusScrape.parse(metrics).sum("rcs_sync_streams_open")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void closing_the_app_ends_open_streams_cleanly_and_promptly() {
        TestServer other = TestServer.start();
        ApiClient op = other.operator();
        List<EventStreamClient> open = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EventStreamClient c = EventStreamClient.open(other.baseUrl(), op.token(), "/api/events", null);
            c.next();
            open.add(c);
        }
        long t0 = System.nanoTime();
        other.close();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        for (EventStreamClient c : open) {
            EventStreamClient.Frame bye = c.nextEvent();
            assertThat(bye.event()).isEqualTo("closed");
            assertThat(bye.json().get("reason").asText()).isEqualTo("shutdown");
            assertThat(c.awaitEnd(EventStreamClient.WAIT)).isTrue();
        }
        System.out.println("closing the app with 20 open streams took " + millis + " ms");
        assertThat(millis).isLessThan(2_000);
    }
}
