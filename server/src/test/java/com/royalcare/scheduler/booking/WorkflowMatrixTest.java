package com.royalcare.scheduler.booking;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every action × every role × every status: 200, 403 FORBIDDEN (wrong role), 404 (not yours to see) or
 * 409 INVALID_TRANSITION naming the current status. The expectations are written out from the rules.
 */
class WorkflowMatrixTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    enum Who { OPERATOR, THERAPIST, DRIVER, OTHER_THERAPIST }

    enum Action { ACCEPT, REJECT, START, COMPLETE, CANCEL }

    static final List<String> STATUSES = List.of("pending", "confirmed", "rejected", "in_progress", "completed", "cancelled");

    static int expected(Action action, Who who, String status) {
        if (who == Who.OTHER_THERAPIST) return 404;
        boolean assignee = who == Who.THERAPIST || who == Who.DRIVER;
        return switch (action) {
            case ACCEPT -> !assignee ? 403 : status.equals("pending") ? 200 : 409;
            case REJECT -> !assignee ? 403 : status.equals("pending") || status.equals("confirmed") ? 200 : 409;
            case START -> who == Who.DRIVER ? 403 : status.equals("confirmed") ? 200 : 409;
            case COMPLETE -> who == Who.DRIVER ? 403 : status.equals("in_progress") ? 200 : 409;
            case CANCEL -> who != Who.OPERATOR ? 403 : status.equals("completed") || status.equals("cancelled") ? 409 : 200;
        };
    }

    static String after(Action action, Who who, String status) {
        return switch (action) {
            case ACCEPT -> "pending"; // the other assignee has not answered yet
            case REJECT -> "rejected";
            case START -> "in_progress";
            case COMPLETE -> "completed";
            case CANCEL -> "cancelled";
        };
    }

    @Test
    void every_action_by_every_role_from_every_status() {
        ApiClient op = server.operator();
        ApiClient therapist = server.newStaff("wf-therapist", "therapist");
        ApiClient driver = server.newStaff("wf-driver", "driver");
        ApiClient other = server.newStaff("wf-other", "therapist");
        long service = BookingFixture.service(op, 60, "900");
        long client = BookingFixture.client(op);
        Map<Who, ApiClient> clients = Map.of(Who.OPERATOR, op, Who.THERAPIST, therapist, Who.DRIVER, driver, Who.OTHER_THERAPIST, other);

        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (Action action : Action.values()) {
            for (Who who : Who.values()) {
                for (String status : STATUSES) {
                    LocalDate date = LocalDate.of(2027, 1, 1).plusDays(n / 8);
                    LocalTime start = LocalTime.of(0, 0).plusHours(3L * (n % 8));
                    n++;
                    long id = BookingFixture.book(op, client, service, List.of(therapist.me()), driver.me(), date.toString(),
                            start.toString(), Map.of("force", true)).id();
                    bringTo(id, status, op, therapist, driver);
                    ApiClient.Response r = act(clients.get(who), id, action);
                    int want = expected(action, who, status);
                    String cell = action + " by " + who + " from " + status;
                    if (r.status() != want) {
                        wrong.add(cell + ": got " + r.status() + " " + r.text() + ", want " + want);
                        continue;
                    }
                    String now = op.get("/api/appointments/" + id).json().get("status").asText();
                    if (want == 200 && !now.equals(after(action, who, status))) wrong.add(cell + ": became " + now);
                    if (want != 200 && !now.equals(status)) wrong.add(cell + ": refused but changed to " + now);
                    if (want == 409 && (!"INVALID_TRANSITION".equals(r.errorCode())
                            || !status.equals(r.json().at("/error/status").asText()))) {
                        wrong.add(cell + ": 409 does not name the status: " + r.text());
                    }
                    if (want == 403 && !"FORBIDDEN".equals(r.errorCode())) wrong.add(cell + ": " + r.text());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void confirmation_needs_every_assignee_and_each_step_is_recorded_with_who_when_and_why() {
        ApiClient op = server.operator();
        ApiClient t = server.newStaff("wf-t2", "therapist");
        ApiClient d = server.newStaff("wf-d2", "driver");
        long id = BookingFixture.book(op, BookingFixture.client(op), BookingFixture.service(op, 60, "900"), List.of(t.me()), d.me(),
                "2027-02-01", "10:00", Map.of("force", true)).id();
        assertThat(t.post("/api/appointments/" + id + "/accept", Map.of()).json().get("status").asText()).isEqualTo("pending");
        assertThat(d.post("/api/appointments/" + id + "/accept", "").json().get("status").asText()).isEqualTo("confirmed");
        t.post("/api/appointments/" + id + "/start", Map.of());
        assertThat(t.post("/api/appointments/" + id + "/complete", Map.of("paymentMethod", "card", "amountPaid", 900)).status()).isEqualTo(400);
        assertThat(t.post("/api/appointments/" + id + "/complete", Map.of("paymentMethod", "gcash")).status()).isEqualTo(400);
        var done = t.post("/api/appointments/" + id + "/complete", Map.of("paymentMethod", "gcash", "amountPaid", "900.00")).json();
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/payment/method").asText()).isEqualTo("gcash");
        assertThat(done.at("/payment/amountPaid").decimalValue()).isEqualByComparingTo("900");
        assertThat(done.get("history")).extracting(h -> h.get("status").asText())
                .containsExactly("pending", "confirmed", "in_progress", "completed");
        assertThat(done.at("/history/1/byId").asLong()).isEqualTo(d.me());
        assertThat(done.at("/history/2/byId").asLong()).isEqualTo(t.me());
        assertThat(done.at("/history/3/at").asText()).isNotBlank();

        long other = BookingFixture.book(op, BookingFixture.client(op), BookingFixture.service(op, 60, "900"), List.of(t.me()), null,
                "2027-02-02", "10:00", Map.of("force", true)).id();
        assertThat(t.post("/api/appointments/" + other + "/reject", Map.of()).status()).isEqualTo(400); // reason required
        var rejected = t.post("/api/appointments/" + other + "/reject", Map.of("reason", "Sick today")).json();
        assertThat(rejected.at("/therapists/0/response").asText()).isEqualTo("rejected");
        assertThat(rejected.at("/therapists/0/reason").asText()).isEqualTo("Sick today");
        assertThat(rejected.at("/history/1/reason").asText()).isEqualTo("Sick today");
        ApiClient t3 = server.newStaff("wf-t3", "therapist");
        var reassigned = op.patch("/api/appointments/" + other, Map.of("therapistIds", List.of(t3.me()), "force", true), null);
        assertThat(reassigned.status()).as(reassigned.text()).isEqualTo(200);
        assertThat(reassigned.json().get("status").asText()).isEqualTo("pending");
        assertThat(t.get("/api/appointments/" + other).status()).isEqualTo(404); // no longer hers
        assertThat(op.post("/api/appointments/" + other + "/cancel", Map.of()).status()).isEqualTo(400);
    }

    private static void bringTo(long id, String status, ApiClient op, ApiClient therapist, ApiClient driver) {
        String path = "/api/appointments/" + id;
        switch (status) {
            case "pending" -> { }
            case "rejected" -> ok(therapist.post(path + "/reject", Map.of("reason", "No")));
            case "cancelled" -> ok(op.post(path + "/cancel", Map.of("reason", "Called off")));
            default -> {
                ok(therapist.post(path + "/accept", Map.of()));
                ok(driver.post(path + "/accept", Map.of()));
                if (status.equals("in_progress") || status.equals("completed")) ok(op.post(path + "/start", Map.of()));
                if (status.equals("completed")) ok(op.post(path + "/complete", Map.of("paymentMethod", "cash", "amountPaid", 900)));
            }
        }
    }

    private static void ok(ApiClient.Response r) {
        if (r.status() != 200) throw new IllegalStateException(r.text());
    }

    private static ApiClient.Response act(ApiClient who, long id, Action action) {
        String path = "/api/appointments/" + id + "/" + action.name().toLowerCase();
        return switch (action) {
            case REJECT, CANCEL -> who.post(path, Map.of("reason", "Because"));
            case COMPLETE -> who.post(path, Map.of("paymentMethod", "bank_transfer", "amountPaid", "900.00"));
            default -> who.post(path, Map.of());
        };
    }
}
