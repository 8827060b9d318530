package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.scheduler.App;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.scheduler.web.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A therapist's or driver's feed never carries another staff member's private data, whatever
 * operators and staff do: random scripts of slot creates, edits (moving days), deletes, staff
 * profile edits, targeted and global refreshes, changes for a group of several members (as a visit
 * with two therapists and a driver is), and intrusion attempts (staff writing for someone else). For every crew member, three feeds are checked — a live stream opened before the script,
 * a stream replaying from before the script, and long polling throughout — and every change in them
 * must be about that member (a {@code global_refresh} naming nobody excepted), mention no one
 * else's name, phone, plate, notes or id, and together be exactly the changes about them: not one
 * fewer, so the test cannot pass by delivering nothing.
 */
class StreamPrivacyPropertyTest {

    private static final LocalDate DAY = LocalDate.of(2033, 4, 1);
    private static final int CREW = 5; // 3 therapists, 2 drivers
    private static final AtomicInteger TRIES = new AtomicInteger();

    private static TestServer server;
    private static ApiClient operator;
    private static long operatorId;
    private static ExecutorService pollers;

    enum Op { CREATE, PATCH, MOVE, DELETE, PROFILE, REFRESH_STAFF, REFRESH_ALL, REFRESH_DATE, GROUP, INTRUDE }

    enum Actor { OPERATOR, SELF }

    record Action(Op op, Actor actor, int target, int other, int pick) {
    }

    /** One crew member: their sessions, their private markers, and what their feeds received. */
    private static final class Member {
        final int index;
        final String marker;
        final ApiClient client;
        final long id;
        final List<Long> slots = new ArrayList<>();
        final List<JsonNode> polled = new ArrayList<>();
        EventStreamClient live;

        Member(int index, String marker, ApiClient client, long id) {
            this.index = index;
            this.marker = marker;
            this.client = client;
            this.id = id;
        }
    }

    @BeforeContainer
    static void start() {
        server = TestServer.start(Map.of(), com.royalcare.scheduler.support.TestClocks.startingAt(DAY.minusDays(10)));
        operator = server.operator();
        operatorId = operator.me();
        pollers = Executors.newFixedThreadPool(CREW);
    }

    @AfterContainer
    static void stop() {
        pollers.shutdownNow();
        server.close();
    }

    @Provide
    Arbitrary<List<Action>> scripts() {
        Arbitrary<Action> action = Combinators.combine(
                Arbitraries.frequency(
                        net.jqwik.api.Tuple.of(6, Op.CREATE), net.jqwik.api.Tuple.of(3, Op.PATCH), net.jqwik.api.Tuple.of(2, Op.MOVE),
                        net.jqwik.api.Tuple.of(2, Op.DELETE), net.jqwik.api.Tuple.of(2, Op.PROFILE),
                        net.jqwik.api.Tuple.of(1, Op.REFRESH_STAFF), net.jqwik.api.Tuple.of(1, Op.REFRESH_ALL),
                        net.jqwik.api.Tuple.of(1, Op.REFRESH_DATE), net.jqwik.api.Tuple.of(3, Op.GROUP),
                        net.jqwik.api.Tuple.of(2, Op.INTRUDE)),
                Arbitraries.of(Actor.class),
                Arbitraries.integers().between(0, CREW - 1),
                Arbitraries.integers().between(0, CREW - 1),
                Arbitraries.integers().between(0, 1000)).as(Action::new);
        return action.list().ofMinSize(15).ofMaxSize(40);
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void a_staff_members_stream_and_polling_never_carry_another_members_data(@ForAll("scripts") List<Action> script) throws Exception {
        int run = TRIES.incrementAndGet();
        List<Member> crew = new ArrayList<>();
        for (int i = 0; i < CREW; i++) crew.add(hire(run, i));
        long start = operator.get("/api/sync/head").json().get("seq").asLong();

        EventStreamClient[] live = new EventStreamClient[CREW];
        List<CompletableFuture<Void>> polling = new ArrayList<>();
        long[] until = {Long.MAX_VALUE};
        for (Member m : crew) {
            live[m.index] = EventStreamClient.open(server.baseUrl(), m.client.token(), "/api/events?since=" + start, null);
            assertThat(live[m.index].status()).isEqualTo(200);
            m.live = live[m.index];
            polling.add(CompletableFuture.runAsync(() -> longPoll(m, start, until), pollers));
        }
        try {
            for (Action a : script) perform(a, crew);
            // a final global refresh reaches everyone: once a feed has it, it has had every earlier change
            long last = operator.post("/api/sync/refresh", Map.of()).json().get("seq").asLong();
            until[0] = last;

            List<JsonNode> all = everything(start, last);
            for (Member m : crew) {
                Set<Long> expected = new TreeSet<>();
                for (JsonNode c : all) if (isFor(c, m)) expected.add(c.get("seq").asLong());
                assertThat(expected).as("the script gave member %d some changes", m.index).contains(last);

                List<JsonNode> liveEvents = events(m.live.eventsThrough(last));
                check("live stream", m, crew, liveEvents, m.live.rawLines(), expected);

                try (EventStreamClient replay = EventStreamClient.open(server.baseUrl(), m.client.token(), "/api/events", start)) {
                    List<JsonNode> replayed = events(replay.eventsThrough(last));
                    check("replaying stream", m, crew, replayed, replay.rawLines(), expected);
                }

                polling.get(m.index).get(30, TimeUnit.SECONDS);
                List<String> raw = m.polled.stream().map(JsonNode::toString).toList();
                check("long polling", m, crew, m.polled, raw, expected);
            }
        } finally {
            until[0] = Long.MIN_VALUE;
            for (EventStreamClient c : live) if (c != null) c.close();
        }
    }

    private static Member hire(int run, int i) {
        boolean driver = i >= 3;
        String marker = String.format("PRIV%03dM%dX", run, i);
        String username = "priv" + run + "m" + i;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", ApiClient.passwordOf(username));
        body.put("name", "Name " + marker);
        body.put("role", driver ? "driver" : "therapist");
        body.put("phone", "+63 " + marker);
        if (driver) body.put("vehiclePlate", "P" + marker);
        else body.put("specialization", "Spec " + marker);
        ApiClient.Response r = operator.post("/api/staff", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return new Member(i, marker, ApiClient.signIn(server.baseUrl(), username, ApiClient.passwordOf(username)), r.id());
    }

    private static void perform(Action a, List<Member> crew) {
        Member t = crew.get(a.target());
        ApiClient actor = a.actor() == Actor.OPERATOR ? operator : t.client;
        String note = "note of " + t.marker + " #" + a.pick();
        switch (a.op()) {
            case CREATE -> {
                Map<String, Object> body = new HashMap<>(slot(a.pick()));
                body.put("note", note);
                if (a.actor() == Actor.OPERATOR) body.put("staffId", t.id);
                ApiClient.Response r = actor.post("/api/availability", body);
                if (r.status() == 201) t.slots.add(r.id());
                else assertThat(r.status()).as(r.text()).isEqualTo(409); // overlap with an earlier random slot
            }
            case PATCH, MOVE -> {
                if (t.slots.isEmpty()) return;
                long id = t.slots.get(a.pick() % t.slots.size());
                Map<String, Object> body = new HashMap<>();
                body.put("note", note);
                if (a.op() == Op.MOVE) body.put("date", DAY.plusDays(a.pick() % 5).toString());
                ApiClient.Response r = actor.patch("/api/availability/" + id, body, null);
                assertThat(r.status()).as(r.text()).isIn(200, 409);
            }
            case DELETE -> {
                if (t.slots.isEmpty()) return;
                long id = t.slots.remove(a.pick() % t.slots.size());
                assertThat(actor.delete("/api/availability/" + id, null).status()).isEqualTo(204);
            }
            case PROFILE -> {
                ApiClient.Response r = operator.patch("/api/staff/" + t.id, Map.of("phone", "+63 " + t.marker + " " + a.pick()), null);
                assertThat(r.status()).as(r.text()).isEqualTo(200);
            }
            case REFRESH_STAFF -> operator.post("/api/sync/refresh", Map.of("staffId", t.id));
            case REFRESH_ALL -> operator.post("/api/sync/refresh", Map.of());
            case REFRESH_DATE -> operator.post("/api/sync/refresh", Map.of("date", DAY.plusDays(a.pick() % 5).toString()));
            case GROUP -> group(t, crew.get(a.other()), crew.get(a.pick() % CREW), a.pick());
            case INTRUDE -> {
                // another member tries to write into t's data (refused, so nothing to leak), or t's slot
                Member other = crew.get(a.other());
                if (other == t) return;
                Map<String, Object> body = new HashMap<>(slot(a.pick()));
                body.put("staffId", t.id);
                body.put("note", "intrusion by " + other.marker);
                assertThat(other.client.post("/api/availability", body).status()).isEqualTo(403);
                if (!t.slots.isEmpty()) {
                    long id = t.slots.get(a.pick() % t.slots.size());
                    assertThat(other.client.patch("/api/availability/" + id, Map.of("note", "x " + other.marker), null).status())
                            .as("another's slot answers like a missing one (issue 13, need to know)").isEqualTo(404);
                }
            }
        }
    }

    /**
     * A change whose audience is several members (one to three distinct), appended in a transaction
     * the way a feature does: it names the members by id only, so it carries nobody's private marker.
     */
    private static void group(Member a, Member b, Member c, int pick) {
        Set<Long> members = new TreeSet<>(List.of(a.id, b.id, c.id));
        App.Services app = server.app().services();
        app.db().write(h -> app.changeLog().append(h, new NewChange("group_changed", operatorId, Audience.of(members),
                List.of(DAY.plusDays(pick % 5), DAY.plusDays(pick % 3)), Json.tree(Map.of("members", members, "n", pick)), null)));
    }

    private static Map<String, Object> slot(int pick) {
        int hour = pick % 24;
        return Map.of("date", DAY.plusDays(pick % 5).toString(), "start", String.format("%02d:00", hour),
                "end", String.format("%02d:30", (hour + 1 + pick % 3) % 24));
    }

    /** Long polls from {@code since} until the last change has come (runs during the script). */
    private static void longPoll(Member m, long since, long[] until) {
        long position = since;
        while (position < until[0] && until[0] != Long.MIN_VALUE) {
            ApiClient.Response r = m.client.get("/api/changes?since=" + position + "&wait=2");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().get("reset").asBoolean()).isFalse();
            for (JsonNode e : r.json().get("events")) m.polled.add(e);
            position = r.json().get("seq").asLong();
        }
    }

    /**
     * Every change in {@code (since, through]}, as the operator (who sees all) polls them. A poll
     * answers from what this node has published, which may trail a just-committed write by a moment,
     * so it long-polls until {@code through} is in.
     */
    private static List<JsonNode> everything(long since, long through) {
        List<JsonNode> all = new ArrayList<>();
        long position = since;
        while (position < through) {
            JsonNode page = operator.get("/api/changes?since=" + position + "&wait=5").json();
            page.get("events").forEach(all::add);
            position = page.get("seq").asLong();
        }
        return all;
    }

    /** The rule under test, from the API contract: about them (alone or among several), or a global refresh naming nobody. */
    private static boolean isFor(JsonNode c, Member m) {
        JsonNode staff = c.get("staffId");
        if (staff != null && !staff.isNull()) return staff.asLong() == m.id;
        if (c.has("staffIds")) return members(c).contains(m.id);
        return c.get("type").asText().equals("global_refresh");
    }

    private static Set<Long> members(JsonNode c) {
        Set<Long> ids = new TreeSet<>();
        c.get("staffIds").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private static List<JsonNode> events(List<EventStreamClient.Frame> frames) {
        List<JsonNode> out = new ArrayList<>();
        for (EventStreamClient.Frame f : frames) {
            assertThat(f.event()).as("no reset or close expected").isNotIn("reset", "closed");
            out.add(f.json());
        }
        return out;
    }

    private static void check(String feed, Member m, List<Member> crew, List<JsonNode> got, List<String> raw, Set<Long> expected) {
        Set<Long> seqs = new TreeSet<>();
        for (JsonNode c : got) {
            String what = feed + " of member " + m.index + " carried " + c;
            assertThat(seqs.add(c.get("seq").asLong())).as("duplicate in " + what).isTrue();
            JsonNode staff = c.get("staffId");
            if (c.has("staffIds")) {
                assertThat(staff == null || staff.isNull()).as("several members, so no single staffId: " + what).isTrue();
                assertThat(members(c)).as(what).contains(m.id).hasSizeGreaterThan(1);
                assertThat(c.get("data").get("members")).as(what).hasSize(members(c).size());
            } else if (staff == null || staff.isNull()) {
                assertThat(c.get("type").asText()).as(what).isEqualTo("global_refresh");
            } else {
                assertThat(staff.asLong()).as(what).isEqualTo(m.id);
            }
            JsonNode data = c.get("data");
            if (data.has("staffId")) assertThat(data.get("staffId").asLong()).as(what).isEqualTo(m.id);
            if (c.get("type").asText().equals("staff_updated")) assertThat(data.get("id").asLong()).as(what).isEqualTo(m.id);
            JsonNode actor = c.get("actorId");
            if (actor != null && !actor.isNull()) assertThat(actor.asLong()).as(what).isIn(m.id, operatorId);
        }
        String text = String.join("\n", raw);
        for (Member other : crew) {
            if (other != m) assertThat(text).as(feed + " of member " + m.index + " mentions member " + other.index).doesNotContain(other.marker);
        }
        assertThat(seqs).as(feed + " of member " + m.index + " has exactly their changes").isEqualTo(expected);
    }
}
