package com.royalcare.scheduler.db;

import com.royalcare.scheduler.availability.AvailabilityRepository;
import com.royalcare.scheduler.availability.Slot;
import com.royalcare.scheduler.availability.SlotDraft;
import com.royalcare.scheduler.availability.SlotTimes;
import com.royalcare.scheduler.booking.BookingRepositoryChecks;
import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDraft;
import com.royalcare.scheduler.staff.StaffRepository;
import com.royalcare.scheduler.sync.Audience;
import com.royalcare.scheduler.sync.Change;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.sync.StreamEnd;
import com.royalcare.scheduler.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repositories' behaviour, run once per database vendor by the subclasses. */
abstract class RepositoryContract {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    protected Database db;
    private StaffRepository staff;
    private final AvailabilityRepository slots = new AvailabilityRepository(Clock.systemUTC());
    private final List<Change> committed = new CopyOnWriteArrayList<>();
    private final ChangeLog log = new ChangeLog(committed::add);

    /** A configuration pointing at a fresh, empty database. */
    protected abstract Config freshDatabase();

    @BeforeEach
    void open() {
        db = Database.open(freshDatabase());
        staff = new StaffRepository(db, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Staff therapist(String username) {
        return db.write(h -> staff.insert(h, new StaffDraft(username, "Name " + username, Role.THERAPIST, true,
                "+63 1", "Swedish", "soft", null), "hash"));
    }

    private static SlotDraft draft(LocalDate date, String start, String end, boolean available) {
        return new SlotDraft(new SlotTimes(date, LocalTime.parse(start), LocalTime.parse(end)), available, "note");
    }

    @Test
    void staff_round_trip_and_filters() {
        Staff anna = therapist("anna");
        Staff dan = db.write(h -> staff.insert(h, new StaffDraft("dan", "Dan", Role.DRIVER, false, null, null, null, "ABC 1"), "hash"));
        assertThat(findStaff(anna.id())).contains(anna);
        assertThat(anna.pressure()).isEqualTo("soft");
        assertThat(listStaff(Role.DRIVER, null)).containsExactly(dan);
        assertThat(listStaff(null, true)).containsExactly(anna);
        assertThat(listStaff(null, false)).containsExactly(dan);
        Staff renamed = db.write(h -> staff.update(h, new Staff(anna.id(), "anna", "Anna R", Role.THERAPIST, false,
                null, null, "hard", null)));
        assertThat(renamed.name()).isEqualTo("Anna R");
        assertThat(renamed.active()).isFalse();
        assertThat(renamed.phone()).isNull();
    }

    @Test
    void username_is_unique() {
        therapist("anna");
        assertThatThrownBy(() -> therapist("anna")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void slots_list_sorted_by_date_and_start_and_filter_by_range() {
        long id = therapist("anna").id();
        db.write(h -> {
            slots.insert(h, id, draft(DAY.plusDays(1), "09:00", "10:00", true), id);
            slots.insert(h, id, draft(DAY, "15:00", "16:00", true), id);
            slots.insert(h, id, draft(DAY, "09:00", "10:00", false), id);
            return null;
        });
        List<Slot> all = db.read(h -> slots.list(h, new AvailabilityRepository.Query(id, null, null)));
        assertThat(all).extracting(s -> s.date() + " " + s.start())
                .containsExactly(DAY + " 09:00", DAY + " 15:00", DAY.plusDays(1) + " 09:00");
        assertThat(listSlots(new AvailabilityRepository.Query(id, DAY, DAY))).hasSize(2);
        assertThat(listSlots(new AvailabilityRepository.Query(id + 1, null, null))).isEmpty();
    }

    @Test
    void slot_update_bumps_version_and_delete_removes() {
        long id = therapist("anna").id();
        Slot created = db.write(h -> slots.insert(h, id, draft(DAY, "22:00", "02:00", true), id));
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.end()).isEqualTo(LocalTime.of(2, 0));
        assertThat(created.available()).isTrue();
        Slot updated = db.write(h -> slots.update(h, created.id(), draft(DAY, "22:00", "03:00", false), id));
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.available()).isFalse();
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        db.write(h -> {
            slots.delete(h, created.id());
            return null;
        });
        assertThat(findSlot(created.id())).isEmpty();
    }

    @Test
    void change_log_numbers_are_gap_free_even_when_a_transaction_rolls_back() {
        append("a");
        assertThatThrownBy(() -> db.write(h -> {
            log.append(h, NewChange.about("b", null, 1L, DAY, Json.tree(Map.of("n", "b"))));
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        append("c");
        List<Change> stored = db.read(h -> log.readAfter(h, 0, 100));
        assertThat(stored).extracting(Change::seq).containsExactly(1L, 2L);
        assertThat(stored).extracting(Change::type).containsExactly("a", "c");
        assertThat(stored.get(1).date()).isEqualTo(DAY);
        assertThat(stored.get(1).data().get("n").asText()).isEqualTo("c");
        assertThat(head()).isEqualTo(2);
        // Only committed changes reach the after-commit listener.
        assertThat(committed).extracting(Change::type).containsExactly("a", "c");
    }

    @Test
    void change_log_prunes_old_entries_but_keeps_the_newest() {
        for (int i = 0; i < 5; i++) append("t" + i);
        int removed = db.write(h -> log.prune(h, java.time.Instant.now().plusSeconds(60), 2));
        assertThat(removed).isEqualTo(3);
        assertThat(oldestKept()).isEqualTo(4);
        assertThat(changesAfter(0)).extracting(Change::seq).containsExactly(4L, 5L);
    }

    @Test
    void change_log_stores_audience_dates_and_stream_ends_and_reads_a_persons_history_alone() {
        append(new NewChange("several", 1L, Audience.of(List.of(7L, 8L)), List.of(DAY, DAY.minusDays(1)),
                Json.tree(Map.of("n", 1)), null).endingStreamsOf(java.util.Set.of(8L), StreamEnd.Reason.DISABLED));
        append(new NewChange("operators_only", 1L, Audience.operators(), List.of(), Json.tree(Map.of("n", 2)), null));
        append(new NewChange("for_all", null, Audience.everyone(), List.of(), Json.tree(Map.of("n", 3)), null));
        append(NewChange.about("for_nine", null, 9L, DAY, Json.tree(Map.of("n", 4))));

        Change several = changesAfter(0).get(0);
        assertThat(several.audience()).isEqualTo(Audience.of(List.of(7L, 8L)));
        assertThat(several.dates()).containsExactly(DAY, DAY.minusDays(1));
        assertThat(several.endStreams()).isEqualTo(new StreamEnd(java.util.Set.of(8L), StreamEnd.Reason.DISABLED));
        assertThat(changesAfter(0).get(2).audience()).isEqualTo(Audience.everyone());
        assertThat(changesAfter(0).get(1).audience()).isEqualTo(Audience.operators());

        assertThat(visible(7, 0, 4, 100)).extracting(Change::type).containsExactly("several", "for_all");
        assertThat(visible(9, 0, 4, 100)).extracting(Change::type).containsExactly("for_all", "for_nine");
        assertThat(visible(9, 3, 4, 100)).extracting(Change::type).containsExactly("for_nine");
        assertThat(visible(9, 0, 3, 1)).extracting(Change::type).containsExactly("for_all");
    }

    private final com.royalcare.scheduler.availability.WeeklyScheduleRepository weeks =
            new com.royalcare.scheduler.availability.JdbcWeeklyScheduleRepository(Clock.systemUTC());

    @Test
    void weekly_schedule_saves_with_growing_versions_and_round_trips_overnight_windows() {
        long id = therapist("anna").id();
        var t = new com.royalcare.scheduler.availability.WeekTemplate(Map.of(java.time.DayOfWeek.SUNDAY,
                List.of(new com.royalcare.scheduler.availability.WeeklyWindow(LocalTime.of(22, 0), LocalTime.of(2, 0)))));
        assertThat(findWeek(id)).isEmpty();
        var first = db.write(h -> weeks.save(h, id, t, true, id));
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.template()).isEqualTo(t);
        assertThat(first.autoApply()).isTrue();
        var second = db.write(h -> weeks.save(h, id, com.royalcare.scheduler.availability.WeekTemplate.EMPTY, false, null));
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.updatedBy()).isNull();
        assertThat(findWeek(id)).contains(second);
        List<Long> auto = db.read(weeks::autoApplyStaff);
        assertThat(auto).isEmpty();
    }

    @Test
    void an_applied_day_is_claimed_once() {
        long id = therapist("anna").id();
        assertThat(claim(id, DAY)).isTrue();
        assertThat(claim(id, DAY)).isFalse();
        assertThat(claim(id, DAY.plusDays(1))).isTrue();
        // a claim rolled back with its transaction leaves the day free
        assertThatThrownBy(() -> db.write(h -> {
            weeks.claimDay(h, id, DAY.plusDays(2));
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(claim(id, DAY.plusDays(2))).isTrue();
    }

    // Bookings: the repositories are package-private, so the checks live in the booking package.

    @Test
    void services_round_trip_with_exact_prices_and_unique_names() {
        new BookingRepositoryChecks(db).services_round_trip_with_exact_prices_and_unique_names();
    }

    @Test
    void clients_round_trip_search_and_unique_phones() {
        new BookingRepositoryChecks(db).clients_round_trip_search_and_unique_phones();
    }

    @Test
    void appointment_insert_read_update_with_version_bump() {
        new BookingRepositoryChecks(db).appointment_insert_read_update_with_version_bump();
    }

    @Test
    void appointments_list_by_date_range_staff_and_status() {
        new BookingRepositoryChecks(db).appointments_list_by_date_range_staff_and_status();
    }

    @Test
    void overnight_appointment_belongs_to_its_start_date_and_holds_the_early_hours() {
        new BookingRepositoryChecks(db).overnight_appointment_belongs_to_its_start_date_and_holds_the_early_hours();
    }

    @Test
    void assignee_responses_round_trip_and_a_rejection_releases_that_persons_time() {
        new BookingRepositoryChecks(db).assignee_responses_round_trip_and_a_rejection_releases_that_persons_time();
    }

    private java.util.Optional<com.royalcare.scheduler.availability.WeeklySchedule> findWeek(long id) {
        return db.read(h -> weeks.find(h, id));
    }

    private boolean claim(long id, LocalDate date) {
        return db.write(h -> weeks.claimDay(h, id, date));
    }

    private java.util.Optional<Staff> findStaff(long id) {
        return db.read(h -> staff.find(h, id));
    }

    private List<Staff> listStaff(Role role, Boolean active) {
        return db.read(h -> staff.list(h, role, active));
    }

    private List<Slot> listSlots(AvailabilityRepository.Query q) {
        return db.read(h -> slots.list(h, q));
    }

    private java.util.Optional<Slot> findSlot(long id) {
        return db.read(h -> slots.find(h, id));
    }

    private List<Change> changesAfter(long seq) {
        return db.read(h -> log.readAfter(h, seq, 100));
    }

    private long head() {
        return db.read(log::head);
    }

    private long oldestKept() {
        return db.read(log::oldestKept);
    }

    private List<Change> visible(long staffId, long after, long through, int limit) {
        return db.read(h -> log.readVisibleAfter(h, staffId, after, through, limit));
    }

    private void append(NewChange change) {
        db.write(h -> log.append(h, change));
    }

    private void append(String type) {
        db.write(h -> log.append(h, NewChange.about(type, null, 1L, DAY, Json.tree(Map.of("n", type)))));
    }
}
