package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.royalcare.scheduler.web.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out rules, without I/O. */
class HubTest {

    private final SyncMetrics metrics = new SyncMetrics(new SimpleMeterRegistry());
    private final Hub hub = new Hub(100, 0, metrics, Runnable::run);
    private long seq;

    private Event change(String type, Long staffId, LocalDate date) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        return Event.of(new Change(++seq, type, Instant.now(), 1L, audience(type, staffId), date == null ? List.of() : List.of(date), data, null));
    }

    /** One staff member's change, or (no staff) a global refresh for everyone or an operators-only change. */
    private static Audience audience(String type, Long staffId) {
        if (staffId != null) return Audience.of(staffId);
        return Viewer.GLOBAL_REFRESH.equals(type) ? Audience.everyone() : Audience.operators();
    }

    private Subscription subscribe(Viewer viewer, Filter filter, int limit) {
        Subscription s = new Subscription(viewer, filter, limit, true);
        hub.register(s);
        hub.joinAtHead(s, false);
        return s;
    }

    private static List<Subscription.Item> drain(Subscription s) {
        List<Subscription.Item> items = new ArrayList<>();
        s.drain(items, Integer.MAX_VALUE);
        return items;
    }

    private static Viewer staff(long id) {
        return new Viewer(id, false, "token-" + id);
    }

    private static final Viewer OPERATOR = new Viewer(1, true, "token-op");

    @Test
    void a_change_about_one_staff_member_visits_only_subscribers_interested_in_them() {
        List<Subscription> therapists = new ArrayList<>();
        for (long id = 100; id < 1100; id++) therapists.add(subscribe(staff(id), Filter.ALL, 10));
        Subscription everything = subscribe(OPERATOR, Filter.ALL, 10);
        Subscription onlyStaff500 = subscribe(OPERATOR, new Filter(Set.of(500L), null, null, null), 10);

        Event e = change("availability_created", 500L, null);
        hub.publish(e);

        assertThat(drain(everything)).containsExactly(e);
        assertThat(drain(onlyStaff500)).containsExactly(e);
        assertThat(drain(therapists.get(400))).containsExactly(e);
        // Subscribers about other staff were not even visited: their position did not move.
        long visited = therapists.stream().filter(s -> s.position() == e.seq()).count();
        assertThat(visited).isEqualTo(1);
    }

    @Test
    void a_global_refresh_reaches_everyone_and_a_refresh_for_one_staff_member_only_them_and_operators() {
        Subscription anna = subscribe(staff(7), Filter.ALL, 10);
        Subscription bea = subscribe(staff(8), Filter.ALL, 10);
        Subscription op = subscribe(OPERATOR, Filter.ALL, 10);
        Event global = change(Viewer.GLOBAL_REFRESH, null, null);
        Event forAnna = change(Viewer.GLOBAL_REFRESH, 7L, null);
        Event systemChange = change("settings_updated", null, null);
        hub.publish(global);
        hub.publish(forAnna);
        hub.publish(systemChange);

        assertThat(drain(anna)).containsExactly(global, forAnna, new Subscription.Mark(systemChange.seq()));
        assertThat(drain(bea)).containsExactly(global, new Subscription.Mark(systemChange.seq()));
        assertThat(drain(op)).containsExactly(global, forAnna, systemChange);
    }

    @Test
    void skipped_changes_become_one_position_mark() {
        Subscription s = subscribe(OPERATOR, new Filter(null, null, null, Set.of("availability_created")), 10);
        hub.publish(change("staff_updated", 3L, null));
        hub.publish(change("staff_updated", 4L, null));
        Event wanted = change("availability_created", 3L, null);
        hub.publish(wanted);
        hub.publish(change("availability_deleted", 3L, null));
        assertThat(drain(s)).containsExactly(new Subscription.Mark(2), wanted, new Subscription.Mark(4));
    }

    @Test
    void a_client_whose_queue_is_full_is_cut_and_the_others_carry_on() {
        Subscription stuck = subscribe(OPERATOR, Filter.ALL, 3);
        Subscription healthy = subscribe(OPERATOR, Filter.ALL, 3);
        for (int i = 0; i < 5; i++) {
            hub.publish(change("availability_created", 2L, null));
            drain(healthy);
        }
        assertThat(stuck.ended()).isEqualTo(Subscription.End.LAGGING);
        assertThat(healthy.ended()).isNull();
        assertThat(hub.size()).isEqualTo(1);
    }

    @Test
    void joining_replays_from_memory_exactly_what_came_after_the_resume_point() {
        for (int i = 0; i < 10; i++) hub.publish(change("availability_created", 2L, null));
        Subscription s = new Subscription(OPERATOR, Filter.ALL, 10, true);
        hub.register(s);
        assertThat(hub.tryJoin(s, 6)).isTrue();
        Event next = change("availability_created", 2L, null);
        hub.publish(next);
        assertThat(drain(s)).extracting(i -> ((Event) i).seq()).containsExactly(7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void a_resume_point_older_than_memory_is_refused_so_the_database_is_read() {
        Hub small = new Hub(4, 0, metrics, Runnable::run);
        for (int i = 0; i < 10; i++) small.publish(change("availability_created", 2L, null));
        Subscription s = new Subscription(OPERATOR, Filter.ALL, 10, true);
        small.register(s);
        assertThat(small.tryJoin(s, 5)).isFalse();
        assertThat(small.tryJoin(s, 6)).isTrue();
        assertThat(drain(s)).extracting(i -> ((Event) i).seq()).containsExactly(7L, 8L, 9L, 10L);
    }

    @Test
    void disabling_an_account_ends_its_subscriptions_before_the_change_reaches_them() {
        Subscription mine = subscribe(staff(9), Filter.ALL, 10);
        Subscription op = subscribe(OPERATOR, Filter.ALL, 10);
        ObjectNode data = Json.MAPPER.createObjectNode().put("id", 9).put("active", false);
        Event disabled = Event.of(new Change(++seq, "staff_updated", Instant.now(), 1L, Audience.of(9L), List.of(), data,
                new StreamEnd(Set.of(9L), StreamEnd.Reason.DISABLED)));
        hub.publish(disabled);
        assertThat(drain(mine)).containsExactly(new Subscription.Ended(Subscription.End.DISABLED));
        assertThat(drain(op)).containsExactly(disabled);
    }

    @Test
    void date_filters_match_the_change_date_or_the_date_it_moved_from() {
        Filter march = new Filter(null, LocalDate.of(2030, 3, 1), LocalDate.of(2030, 3, 31), null);
        ObjectNode empty = Json.MAPPER.createObjectNode();
        assertThat(march.matches(new Change(1, "availability_updated", Instant.now(), 1L, Audience.of(2L),
                List.of(LocalDate.of(2030, 5, 1), LocalDate.of(2030, 3, 15)), empty, null))).isTrue();
        assertThat(march.matches(new Change(2, "availability_created", Instant.now(), 1L, Audience.of(2L),
                List.of(LocalDate.of(2030, 5, 1)), empty, null))).isFalse();
        assertThat(march.matches(new Change(3, "staff_updated", Instant.now(), 1L, Audience.of(2L), List.of(), empty, null))).isTrue();
    }

    @Test
    void a_change_for_several_members_reaches_each_once_and_nobody_else() {
        Subscription one = subscribe(staff(1), Filter.ALL, 10);
        Subscription two = subscribe(staff(2), Filter.ALL, 10);
        Subscription three = subscribe(staff(3), Filter.ALL, 10);
        Subscription everything = subscribe(OPERATOR, Filter.ALL, 10);
        Subscription oneAndTwo = subscribe(OPERATOR, new Filter(Set.of(1L, 2L), null, null, null), 10);
        Event visit = Event.of(new Change(++seq, "appointment_created", Instant.now(), 1L, Audience.of(List.of(1L, 2L)),
                List.of(LocalDate.of(2030, 1, 1)), Json.MAPPER.createObjectNode(), null));
        hub.publish(visit);
        assertThat(drain(one)).containsExactly(visit);
        assertThat(drain(two)).containsExactly(visit);
        assertThat(drain(everything)).containsExactly(visit);
        assertThat(drain(oneAndTwo)).as("indexed under both members, offered once").containsExactly(visit);
        assertThat(drain(three)).noneMatch(i -> i instanceof Event);
    }

    @Test
    void the_wire_form_names_one_member_and_date_or_lists_several() throws Exception {
        ObjectNode data = Json.MAPPER.createObjectNode().put("id", 5);
        JsonNode single = Json.MAPPER.readTree(Json.write(new Change(7, "availability_created", Instant.parse("2030-01-01T00:00:00Z"),
                3L, Audience.of(9L), List.of(LocalDate.of(2030, 1, 2)), data, null)));
        assertThat(single.get("staffId").asLong()).isEqualTo(9);
        assertThat(single.get("date").asText()).isEqualTo("2030-01-02");
        assertThat(single.has("staffIds")).isFalse();
        assertThat(single.has("dates")).isFalse();
        assertThat(single.has("audience")).isFalse();
        assertThat(single.get("data")).isEqualTo(data);

        JsonNode several = Json.MAPPER.readTree(Json.write(new Change(8, "appointment_updated", Instant.parse("2030-01-01T00:00:00Z"),
                3L, Audience.of(List.of(9L, 4L)), List.of(LocalDate.of(2030, 1, 3), LocalDate.of(2030, 1, 2)), data,
                new StreamEnd(Set.of(4L), StreamEnd.Reason.DISABLED))));
        assertThat(several.get("staffId").isNull()).isTrue();
        assertThat(several.get("date").asText()).as("the main date").isEqualTo("2030-01-03");
        assertThat(several.get("staffIds")).extracting(JsonNode::asLong).containsExactly(4L, 9L);
        assertThat(several.get("dates")).extracting(JsonNode::asText).containsExactly("2030-01-03", "2030-01-02");
        assertThat(several.has("endStreams")).isFalse();
    }
}
