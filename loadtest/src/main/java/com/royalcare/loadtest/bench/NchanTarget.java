package com.royalcare.loadtest.bench;

import com.royalcare.testkit.SseEvent;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The reference server of issue 5 section 6: nginx with the nchan module, configured by
 * {@code bench/nchan/nchan.conf.template}. {@code POST /pub/<channel>} publishes,
 * {@code GET /sub/<channel>} (EventSource) subscribes. Channel {@code all} plays our unfiltered
 * operator stream, {@code staff<N>} our stream filtered to one staff member.
 *
 * <p>It is fed the same messages as our server sends: a change record of the same shape and about
 * the same size (~330 bytes), carrying the write's key in {@code data.note}, so the subscribers
 * parse and match exactly the same way. nchan numbers its messages {@code <unix seconds>:<n>};
 * {@link #orderOf} turns that into one increasing number for the duplicate check.
 */
final class NchanTarget implements Target {

    private final String baseUrl;
    /** Publish everything to channel "all" (subscribers of everything) instead of per staff member. */
    private final boolean everything;
    private final HttpClient http;
    private final String runTag = Long.toString(new SecureRandom().nextLong() >>> 24, 36);
    private final AtomicLong keySeq = new AtomicLong();
    private final AtomicLong fakeSeq = new AtomicLong(1000);
    private final LocalDate date = LocalDate.now(ZoneOffset.UTC).plusDays(30);

    NchanTarget(String baseUrl, boolean everything) throws Exception {
        this.baseUrl = baseUrl;
        this.everything = everything;
        this.http = Target.publisher("bench-nchan-pub");
    }

    @Override
    public String name() {
        return "nchan";
    }

    @Override
    public void setup(int channels) {
        // nchan creates channels on first use
    }

    private static String channelName(int channel) {
        return channel < 0 ? "all" : "staff" + channel;
    }

    @Override
    public StreamSpec streamSpec(int channel, String lastEventId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        if (lastEventId != null && !lastEventId.isEmpty()) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return new StreamSpec(URI.create(baseUrl + "/sub/" + channelName(channel)), headers);
    }

    @Override
    public boolean write(int channel, boolean measured, boolean marker, Ledger ledger) {
        String key = (marker ? "mk" : "nk") + runTag + "-" + keySeq.incrementAndGet();
        String body = body(channel, key);
        Request request = http.newRequest(baseUrl + "/pub/" + channelName(everything ? -1 : channel))
                .method(HttpMethod.POST).timeout(30, TimeUnit.SECONDS)
                .body(new StringRequestContent("application/json", body));
        Ledger.Write w = ledger.begin(key, channel, measured, marker);
        new CompletableResponseListener(request, 64 * 1024).send().whenComplete((response, failure) -> {
            int status = failure != null ? -1 : response.getStatus();
            if (status >= 300 || status < 0) {
                ledger.noteError("POST /pub -> " + (failure != null ? failure.toString()
                        : status + " " + response.getContentAsString()));
            }
            ledger.complete(w, status);
        });
        return true;
    }

    /** A change record like ours: an availability_updated with the slot after the change. */
    private String body(int channel, String key) {
        long seq = fakeSeq.incrementAndGet();
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        long staffId = 1000 + Math.max(0, channel);
        return String.format(Locale.ROOT,
                "{\"seq\":%d,\"type\":\"availability_updated\",\"at\":\"%s\",\"actorId\":1,\"staffId\":%d,\"date\":\"%s\","
                        + "\"data\":{\"id\":%d,\"staffId\":%d,\"date\":\"%s\",\"start\":\"06:00\",\"end\":\"06:45\","
                        + "\"available\":true,\"note\":\"%s\",\"version\":2,\"createdAt\":\"%s\",\"updatedAt\":\"%s\",\"updatedBy\":1}}",
                seq, now, staffId, date, seq, staffId, date, key, now, now);
    }

    @Override
    public String keyOf(SseEvent event) {
        return Json.valueAfter(event.data(), "note", 0);
    }

    /** {@code 1795640731:12} → 1795640731 × 10⁶ + 12 (nchan's tag counts messages within one second). */
    @Override
    public long orderOf(SseEvent event) {
        String id = event.id();
        int colon = id.indexOf(':');
        if (colon <= 0) {
            return -1;
        }
        try {
            long seconds = Long.parseLong(id.substring(0, colon));
            String tag = id.substring(colon + 1);
            int end = 0;
            while (end < tag.length() && Character.isDigit(tag.charAt(end))) {
                end++;
            }
            return seconds * 1_000_000L + (end == 0 ? 0 : Long.parseLong(tag.substring(0, end)));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
